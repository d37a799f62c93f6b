package io.ursa.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Reads the {@code next} link of a list answer (spec §8.6). */
final class Paging {
    private Paging() {
    }

    /** The {@code offset} of the next page, when there is one. */
    static Optional<String> nextOffset(JsonNode list) {
        String next = JsonFields.text(list, "next");
        if (next.isEmpty()) {
            return Optional.empty();
        }
        String query;
        try {
            query = URI.create(next).getRawQuery();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (query == null) {
            return Optional.empty();
        }
        for (String part : query.split("&")) {
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).equals("offset")) {
                return Optional.of(URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }
}
