package io.ursa.apiserver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.ursa.api.codec.Json;

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

    static String write(JsonNode body) {
        try {
            return Json.json().writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write a JSON tree", e);
        }
    }
}
