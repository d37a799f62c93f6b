package io.ursa.apiserver;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.ursa.api.codec.Json;
import io.ursa.core.access.User;

/**
 * {@code GET /who-am-i}: the caller as the API sees it (Kuma 2.0 has no such endpoint), so a client such as the
 * GUI can say who is signed in without decoding a token:
 * <pre>{@code {"name": "alice", "groups": ["team-a", "mesh-system:authenticated"], "via": "token"}}</pre>
 * {@code via} is {@code token} (a user token in {@code Authorization}), {@code loopback} (no credentials, the
 * loopback admin rule held) or {@code anonymous}. Answering it needs no permission; a token that does not validate
 * was already refused with 401 by {@link Authentication}. Stateless and thread-safe.
 */
final class WhoAmIEndpoints {
    private final ErrorMapper errors;

    WhoAmIEndpoints(ErrorMapper errors) {
        this.errors = requireNonNull(errors, "errors");
    }

    void addTo(Javalin app) {
        app.get("/who-am-i", errors.guard(Titles.WHO_AM_I, this::whoAmI));
    }

    private void whoAmI(Context ctx) {
        User user = Authentication.userOf(ctx);
        ObjectNode body = Json.json().createObjectNode();
        body.put("name", user.name());
        user.groups().forEach(body.putArray("groups")::add);
        body.put("via", ctx.header("Authorization") != null ? "token"
                : user.equals(User.ADMIN) ? "loopback" : "anonymous");
        Responses.json(ctx, 200, body);
    }
}
