package io.ursa.api.spec;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** Immutable, key-sorted copies of maps, so specs compare, hash and serialize deterministically. */
public final class SortedMaps {
    private SortedMaps() {
    }

    /** A sorted unmodifiable copy; null becomes an empty map. Null keys or values are rejected. */
    public static <V> Map<String, V> copyOf(Map<String, V> map) {
        if (map == null || map.isEmpty()) {
            return Map.of();
        }
        TreeMap<String, V> copy = new TreeMap<>();
        map.forEach((k, v) -> {
            if (k == null || v == null) {
                throw new IllegalArgumentException("map entries must not be null, got: " + k + "=" + v);
            }
            copy.put(k, v);
        });
        return Collections.unmodifiableMap(copy);
    }
}
