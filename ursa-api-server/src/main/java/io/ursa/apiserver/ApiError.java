package io.ursa.apiserver;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursa.api.codec.Json;
import io.ursa.api.validation.Violation;
import java.util.List;

/**
 * One error response: the HTTP status and Kuma's error body {@code {"title","details","causes":[{"field","message"}]}},
 * with {@code causes} left out when empty.
 */
record ApiError(int status, String title, String details, List<Violation> causes) {
    ApiError {
        requireNonNull(title, "title");
        requireNonNull(details, "details");
        causes = List.copyOf(causes);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("invalid error status: " + status + " (expected: 400-599)");
        }
    }

    ObjectNode toJson() {
        ObjectNode body = Json.json().createObjectNode();
        body.put("title", title);
        body.put("details", details);
        if (!causes.isEmpty()) {
            ArrayNode list = body.putArray("causes");
            for (Violation v : causes) {
                list.addObject().put("field", v.field()).put("message", v.message());
            }
        }
        return body;
    }
}
