package io.ursa.apiserver;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Cross-origin requests from web pages ({@code apiServer.corsAllowedDomains}): a request whose {@code Origin} is
 * one of the allowed origins (compared case-insensitively, without a trailing slash) gets
 * {@code Access-Control-Allow-Origin} with that origin, or {@code *} when {@code *} is allowed; a preflight
 * ({@code OPTIONS} with {@code Access-Control-Request-Method}) from it is answered 204 with the methods and headers
 * the API takes. Any other origin gets no CORS header at all, so the browser keeps the response from the page.
 * CORS is not authorization: an allowed page still needs a user token to write, and a loopback request carrying
 * another site's origin is never the admin. Stateless and thread-safe.
 */
final class Cors {
    private static final String METHODS = "GET, PUT, DELETE, POST";
    private static final String HEADERS = "Authorization, Content-Type, If-Match";
    private static final String MAX_AGE_SECONDS = "600";

    private final boolean anyOrigin;
    private final Set<String> origins;

    Cors(List<String> allowedOrigins) {
        this.anyOrigin = allowedOrigins.contains("*");
        this.origins = allowedOrigins.stream().map(Cors::normalized).collect(Collectors.toUnmodifiableSet());
    }

    boolean enabled() {
        return anyOrigin || !origins.isEmpty();
    }

    void handle(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin == null || !(anyOrigin || origins.contains(normalized(origin)))) {
            return;
        }
        ctx.header("Access-Control-Allow-Origin", anyOrigin ? "*" : origin);
        ctx.header("Vary", "Origin");
        ctx.header("Access-Control-Expose-Headers", "ETag");
        if (ctx.method() == HandlerType.OPTIONS && ctx.header("Access-Control-Request-Method") != null) {
            ctx.header("Access-Control-Allow-Methods", METHODS);
            ctx.header("Access-Control-Allow-Headers", HEADERS);
            ctx.header("Access-Control-Max-Age", MAX_AGE_SECONDS);
            ctx.status(204);
            ctx.skipRemainingHandlers();
        }
    }

    private static String normalized(String origin) {
        String trimmed = origin.strip().toLowerCase(Locale.ROOT);
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }
}
