package io.ursa.core.tokens;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a dataplane token is bound to (spec §10.3): the proxy's {@code name}, its {@code mesh} (required: it picks
 * the signing key), the {@code tags} the proxy must carry, each with the values it may have, and the proxy
 * {@code type}. An empty name or type, or no tags, binds nothing. Tags are copied sorted; a tag without values is
 * dropped, as Kuma does.
 */
public record DataplaneIdentity(String name, String mesh, SortedMap<String, SortedSet<String>> tags, String type) {
    /** The proxy types a token may name; the empty type names none. */
    public static final List<String> PROXY_TYPES = List.of("dataplane", "ingress", "egress");

    public DataplaneIdentity {
        requireNonNull(name, "name");
        requireNonNull(mesh, "mesh");
        requireNonNull(type, "type");
        if (mesh.isEmpty()) {
            throw new IllegalArgumentException("invalid mesh: \"\" (expected: the name of a mesh)");
        }
        if (!type.isEmpty() && !PROXY_TYPES.contains(type)) {
            throw new IllegalArgumentException("invalid proxy type: " + type + " (expected: one of " + PROXY_TYPES
                    + " or empty)");
        }
        tags = sortedTags(requireNonNull(tags, "tags"));
    }

    /** An identity with tags given as any map of value sets. */
    public static DataplaneIdentity of(String name, String mesh, Map<String, ? extends Set<String>> tags,
                                       String type) {
        return new DataplaneIdentity(name, mesh, sortedTags(tags), type);
    }

    static SortedMap<String, SortedSet<String>> sortedTags(Map<String, ? extends Set<String>> tags) {
        TreeMap<String, SortedSet<String>> copy = new TreeMap<>();
        tags.forEach((key, values) -> {
            requireNonNull(key, "tag key");
            if (!values.isEmpty()) {
                copy.put(key, Collections.unmodifiableSortedSet(new TreeSet<>(values)));
            }
        });
        return Collections.unmodifiableSortedMap(copy);
    }
}
