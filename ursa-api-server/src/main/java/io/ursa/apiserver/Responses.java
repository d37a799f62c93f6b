package io.ursa.apiserver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.ursa.api.codec.Json;
import io.ursa.core.manager.UpsertResult;
import java.util.List;

/** Writes response bodies: compact JSON as {@code application/json}, never HTML-escaped. */
final class Responses {
    static final String JSON = "application/json";

    private Responses() {
    }

    static void json(Context ctx, int status, JsonNode body) {
        ctx.status(status).contentType(JSON).result(write(body));
    }

    /** The empty JSON object, answered by successful writes. */
    static void emptyObject(Context ctx, int status) {
        json(ctx, status, Json.json().createObjectNode());
    }

    /**
     * The answer of a successful write, with Kuma's status (201 created, 200 otherwise): {@code {}}, as Kuma 2.0,
     * or {@code {"warnings": [...]}} when there are warnings, as later Kuma 2.x versions answer. A write of the
     * spec already stored (nothing written) adds {@code "outcome": "unchanged"}, which Kuma's clients ignore.
     */
    static void written(Context ctx, UpsertResult.Outcome outcome, List<String> warnings) {
        ObjectNode body = Json.json().createObjectNode();
        if (outcome == UpsertResult.Outcome.UNCHANGED) {
            body.put("outcome", outcome.word());
        }
        if (!warnings.isEmpty()) {
            ArrayNode list = body.putArray("warnings");
            warnings.forEach(list::add);
        }
        json(ctx, outcome == UpsertResult.Outcome.CREATED ? 201 : 200, body);
    }

    /**
     * The answer of a {@code ?dryRun=true} write: {@code {"dryRun": true, "outcome": "created|updated|unchanged",
     * ...}}.
     */
    static void dryRun(Context ctx, String outcome, List<String> warnings) {
        ObjectNode body = Json.json().createObjectNode();
        body.put("dryRun", true);
        body.put("outcome", outcome);
        if (!warnings.isEmpty()) {
            ArrayNode list = body.putArray("warnings");
            warnings.forEach(list::add);
        }
        json(ctx, 200, body);
    }

    static String write(JsonNode body) {
        try {
            return Json.json().writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write a JSON tree", e);
        }
    }
}
