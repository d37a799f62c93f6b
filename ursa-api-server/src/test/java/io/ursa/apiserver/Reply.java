package io.ursa.apiserver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.ursa.api.codec.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One HTTP response as a test sees it. */
record Reply(int status, Map<String, List<String>> headers, String body) {

    JsonNode json() {
        try {
            return Json.json().readTree(body);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON (status " + status + "): " + body, e);
        }
    }

    Optional<String> header(String name) {
        return headers.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name))
                .flatMap(e -> e.getValue().stream())
                .findFirst();
    }

    /** The {@code field} of every item of a list body. */
    List<String> items(String field) {
        return itemsOf(json(), field);
    }

    /** The {@code field} of every item of the list body {@code list}. */
    static List<String> itemsOf(JsonNode list, String field) {
        List<String> values = new ArrayList<>();
        for (JsonNode item : list.path("items")) {
            values.add(item.path(field).asText());
        }
        return values;
    }

    /** The causes of an error body as {@code field: message} lines. */
    List<String> causes() {
        List<String> causes = new ArrayList<>();
        for (JsonNode cause : json().path("causes")) {
            causes.add(cause.path("field").asText() + ": " + cause.path("message").asText());
        }
        return causes;
    }

    @Override
    public String toString() {
        return status + " " + body;
    }
}
