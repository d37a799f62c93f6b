package io.ursa.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Lenient reads from the control plane's JSON: a missing field is the zero value, as in Kuma's protobuf JSON,
 * where zero values are omitted. 64-bit counters may come as strings ({@code "responsesSent": "10"}).
 */
final class JsonFields {
    private JsonFields() {
    }

    static JsonNode at(JsonNode node, String... path) {
        JsonNode current = node;
        for (String field : path) {
            current = current.path(field);
        }
        return current;
    }

    /** The text at {@code path}, or {@code ""} when absent or null. */
    static String text(JsonNode node, String... path) {
        JsonNode value = at(node, path);
        return value.isValueNode() && !value.isNull() ? value.asText() : "";
    }

    /** The number at {@code path} (also from a numeric string), or 0 when absent or not a number. */
    static long number(JsonNode node, String... path) {
        JsonNode value = at(node, path);
        if (value.isNumber()) {
            return value.asLong();
        }
        if (value.isTextual()) {
            try {
                return Long.parseLong(value.asText().trim());
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }

    static boolean bool(JsonNode node, String... path) {
        return at(node, path).asBoolean(false);
    }

    /** An RFC 3339 timestamp at {@code path}, if present and well-formed. */
    static Optional<Instant> instant(JsonNode node, String... path) {
        String text = text(node, path);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The elements of the array at {@code path}; empty when absent or not an array. */
    static List<JsonNode> elements(JsonNode node, String... path) {
        JsonNode value = at(node, path);
        List<JsonNode> out = new ArrayList<>();
        if (value.isArray()) {
            value.forEach(out::add);
        }
        return out;
    }
}
