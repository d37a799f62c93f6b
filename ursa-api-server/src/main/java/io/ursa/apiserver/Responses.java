package io.ursa.apiserver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.ursa.api.codec.Json;
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
     * The answer of a successful write: {@code {}}, as Kuma 2.0, or {@code {"warnings": [...]}} when there are
     * warnings, as later Kuma 2.x versions answer.
     */
    static void written(Context ctx, int status, List<String> warnings) {
        ObjectNode body = Json.json().createObjectNode();
        if (!warnings.isEmpty()) {
            ArrayNode list = body.putArray("warnings");
            warnings.forEach(list::add);
        }
        json(ctx, status, body);
    }

    /** The answer of a {@code ?dryRun=true} write: {@code {"dryRun": true, "outcome": "created|updated", ...}}. */
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
