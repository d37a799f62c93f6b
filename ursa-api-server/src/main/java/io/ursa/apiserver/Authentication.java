package io.ursa.apiserver;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import io.ursa.core.access.User;
import io.ursa.core.tokens.InvalidUserTokenException;
import io.ursa.core.tokens.UserTokenValidator;
import java.util.Locale;

/**
 * Who makes a request, decided once before any route runs (Kuma's {@code apiServer.authn}, type {@code tokens}):
 * <ol>
 *   <li>{@code Authorization: Bearer <user token>}: the token's user plus the group
 *       {@code mesh-system:authenticated}; a token that does not validate, or an {@code Authorization} header of
 *       another form, is a 401 {@code Invalid authentication data} saying why, never quoting the token. A token
 *       always wins over the loopback rule.</li>
 *   <li>otherwise, with {@code localhostIsAdmin}, the admin user when {@link LoopbackAdmin} holds (loopback
 *       address, loopback {@code Host}, no foreign {@code Origin});</li>
 *   <li>otherwise the anonymous user, who may read what is open and nothing more.</li>
 * </ol>
 * Stateless and thread-safe; the user rides on the request as an attribute.
 */
final class Authentication {
    static final String INVALID = "Invalid authentication data";
    private static final String USER_ATTRIBUTE = "ursa.user";
    private static final String BEARER = "bearer ";

    private final UserTokenValidator tokens;
    private final boolean localhostIsAdmin;
    private final AuditLog audit;

    Authentication(UserTokenValidator tokens, boolean localhostIsAdmin, AuditLog audit) {
        this.tokens = requireNonNull(tokens, "tokens");
        this.localhostIsAdmin = localhostIsAdmin;
        this.audit = requireNonNull(audit, "audit");
    }

    /** Runs before every route: finds the caller, or refuses the request with 401. */
    void authenticate(Context ctx) {
        ctx.attribute(USER_ATTRIBUTE, userOf(ctx.header("Authorization"), ctx));
    }

    private User userOf(String authorization, Context ctx) {
        if (authorization != null) {
            return tokenUser(authorization, ctx);
        }
        if (localhostIsAdmin && LoopbackAdmin.holds(ctx.req().getRemoteAddr(), ctx.scheme(), ctx.header("Host"),
                ctx.header("Origin"))) {
            return User.ADMIN;
        }
        return User.ANONYMOUS;
    }

    private User tokenUser(String authorization, Context ctx) {
        String trimmed = authorization.strip();
        if (!trimmed.toLowerCase(Locale.ROOT).startsWith(BEARER) || trimmed.substring(BEARER.length()).isBlank()) {
            throw refuse(ctx, "malformed: the Authorization header is not \"Bearer <user token>\"");
        }
        try {
            return tokens.validate(trimmed.substring(BEARER.length()).strip()).withGroup(User.AUTHENTICATED_GROUP);
        } catch (InvalidUserTokenException e) {
            throw refuse(ctx, e.getMessage());
        }
    }

    private ApiException refuse(Context ctx, String reason) {
        audit.noteUnauthenticated(ctx);
        ctx.header("WWW-Authenticate", "Bearer");
        return ApiException.of(401, INVALID, reason);
    }

    /** The caller of a request that went through {@link #authenticate}. */
    static User userOf(Context ctx) {
        User user = ctx.attribute(USER_ATTRIBUTE);
        return user == null ? User.ANONYMOUS : user;
    }
}
