package io.ursa.apiserver;

import static java.util.Objects.requireNonNull;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.ursa.core.tokens.DataplaneTokenIssuer;

/**
 * {@code POST /tokens/dataplane} and its legacy path {@code POST /tokens} (spec §10.4): issues a dataplane token.
 * As in Kuma, the request is checked first (400 {@code Invalid request}), then the caller must be the admin
 * (403), then the token is signed: 200 with the JWT as {@code text/plain}, 400 {@code Mesh is not found} for an
 * unknown mesh, 404 {@code Signing Key not found} for a mesh without a key. Stateless and thread-safe.
 */
final class TokenEndpoints {
    static final String TEXT = "text/plain";

    private final DataplaneTokenIssuer issuer;
    private final RequestBody body;
    private final AdminAccess access;
    private final ErrorMapper errors;

    TokenEndpoints(DataplaneTokenIssuer issuer, RequestBody body, AdminAccess access, ErrorMapper errors) {
        this.issuer = requireNonNull(issuer, "issuer");
        this.body = requireNonNull(body, "body");
        this.access = requireNonNull(access, "access");
        this.errors = requireNonNull(errors, "errors");
    }

    void addTo(Javalin app) {
        app.post("/tokens/dataplane", this::issueDataplaneToken);
        app.post("/tokens", this::issueDataplaneToken);
    }

    private void issueDataplaneToken(Context ctx) {
        String title = Titles.INVALID_REQUEST;
        try {
            DataplaneTokenRequest request = DataplaneTokenRequest.read(body.document(ctx));
            title = Titles.ISSUE_TOKEN;
            access.checkGenerateDataplaneToken(ctx);
            String token = issuer.issue(request.identity(), request.validFor());
            ctx.status(200).contentType(TEXT).result(token);
        } catch (Exception e) {
            errors.respond(ctx, title, e);
        }
    }
}
