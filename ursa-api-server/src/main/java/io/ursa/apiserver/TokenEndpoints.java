package io.ursa.apiserver;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.ursa.core.tokens.DataplaneTokenIssuer;
import io.ursa.core.tokens.UserTokenIssuer;
import io.ursa.core.tokens.ZoneTokenIssuer;

/**
 * Token issuing, each answered 200 with the JWT as {@code text/plain}:
 * <ul>
 *   <li>{@code POST /tokens/dataplane} and its legacy path {@code POST /tokens} (spec §10.4): a dataplane token,
 *       for callers whose role grants GENERATE_DATAPLANE_TOKEN in the token's mesh; 400 {@code Mesh is not found}
 *       for an unknown mesh, 404 {@code Signing Key not found} for a mesh without a key;</li>
 *   <li>{@code POST /tokens/user} ({@link UserTokenRequest}): a user token, for callers whose role grants
 *       GENERATE_USER_TOKEN; 404 {@code Signing Key not found} without a user-token signing key;</li>
 *   <li>{@code POST /tokens/zone} ({@link ZoneTokenRequest}): a zone token, which lets a zone egress in, for
 *       callers whose role grants GENERATE_ZONE_TOKEN; 404 {@code Signing Key not found} without a zone-token
 *       signing key.</li>
 * </ul>
 * As in Kuma, the request is checked first (400 {@code Invalid request}), then the caller (403), then the token is
 * signed; for zone tokens, as Kuma's {@code handleZoneIdentityRequest}, the caller is checked before the fields
 * (a body that is no JSON is still a 400 first). Neither the token nor the request body is ever logged. Stateless and thread-safe.
 */
final class TokenEndpoints {
    static final String TEXT = "text/plain";

    private final DataplaneTokenIssuer dataplaneTokens;
    private final UserTokenIssuer userTokens;
    private final ZoneTokenIssuer zoneTokens;
    private final RequestBody body;
    private final AccessChecks access;
    private final ErrorMapper errors;

    TokenEndpoints(DataplaneTokenIssuer dataplaneTokens, UserTokenIssuer userTokens, ZoneTokenIssuer zoneTokens,
                   RequestBody body, AccessChecks access, ErrorMapper errors) {
        this.dataplaneTokens = requireNonNull(dataplaneTokens, "dataplaneTokens");
        this.userTokens = requireNonNull(userTokens, "userTokens");
        this.zoneTokens = requireNonNull(zoneTokens, "zoneTokens");
        this.body = requireNonNull(body, "body");
        this.access = requireNonNull(access, "access");
        this.errors = requireNonNull(errors, "errors");
    }

    void addTo(Javalin app) {
        app.post("/tokens/dataplane", this::issueDataplaneToken);
        app.post("/tokens", this::issueDataplaneToken);
        app.post("/tokens/user", this::issueUserToken);
        app.post("/tokens/zone", this::issueZoneToken);
    }

    private void issueDataplaneToken(Context ctx) {
        String title = Titles.INVALID_REQUEST;
        try {
            DataplaneTokenRequest request = DataplaneTokenRequest.read(body.document(ctx));
            title = Titles.ISSUE_TOKEN;
            access.requireDataplaneToken(ctx, request.mesh(), request.name());
            String token = dataplaneTokens.issue(request.identity(), request.validFor());
            ctx.status(200).contentType(TEXT).result(token);
        } catch (Exception e) {
            errors.respond(ctx, title, e);
        }
    }

    private void issueUserToken(Context ctx) {
        String title = Titles.INVALID_REQUEST;
        try {
            UserTokenRequest request = UserTokenRequest.read(body.document(ctx));
            title = Titles.ISSUE_TOKEN;
            access.requireUserToken(ctx, request.name());
            String token = userTokens.issue(request.user(), request.validFor());
            ctx.status(200).contentType(TEXT).result(token);
        } catch (Exception e) {
            errors.respond(ctx, title, e);
        }
    }

    private void issueZoneToken(Context ctx) {
        String title = Titles.INVALID_REQUEST;
        try {
            JsonNode document = body.document(ctx);
            title = Titles.ISSUE_TOKEN;
            access.requireZoneToken(ctx, ZoneTokenRequest.zoneOf(document));
            title = Titles.INVALID_REQUEST;
            ZoneTokenRequest request = ZoneTokenRequest.read(document);
            title = Titles.ISSUE_TOKEN;
            String token = zoneTokens.issue(request.zone(), request.scope(), request.validFor());
            ctx.status(200).contentType(TEXT).result(token);
        } catch (Exception e) {
            errors.respond(ctx, title, e);
        }
    }
}
