package io.ursa.api.spec;

import java.util.HashMap;
import java.util.Map;

/** Copies of tag maps for record constructors. */
public final class TagMaps {
    private TagMaps() {
    }

    /**
     * A sorted unmodifiable copy; null becomes an empty map, and a null value (YAML {@code version:} with
     * nothing after it) becomes {@code ""}, as Kuma's decoder reads it, so validation can report it.
     */
    public static Map<String, String> copyOf(Map<String, String> tags) {
        if (tags == null || tags.isEmpty()) {
            return Map.of();
        }
        Map<String, String> withoutNulls = new HashMap<>();
        tags.forEach((k, v) -> withoutNulls.put(k, v == null ? "" : v));
        return SortedMaps.copyOf(withoutNulls);
    }
}
