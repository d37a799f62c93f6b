package io.ursa.xds.context;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What the proxies of one {@link MeshContext} compute once and share: generated resources keyed by exactly the
 * inputs they were generated from, and facts derived from one resource instance (its digest, the names it
 * refers to). Many proxies of a mesh are replicas of one workload with the same outbounds and tags, so they get
 * the same resource instances: generated once, hashed once, and held once in memory.
 *
 * <p>A new mesh context starts empty, so nothing outlives the inputs it was computed from. Not part of the
 * context's value: all instances are equal. Thread-safe; a value may be computed twice by racing callers, and
 * then either result is kept (both are equal).
 */
public final class SharedResources {
    private final ConcurrentHashMap<Object, Object> byKey = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ConcurrentHashMap<Object, Object>> byKind = new ConcurrentHashMap<>();

    /**
     * The value for {@code key}, computed by {@code compute} the first time. {@code key} must hold every input the
     * value depends on (records compare by value).
     */
    @SuppressWarnings("unchecked")
    public <V> V computeIfAbsent(Object key, Supplier<V> compute) {
        Object value = byKey.get(key);
        if (value == null) {
            value = compute.get();
            Object raced = byKey.putIfAbsent(key, value);
            if (raced != null) {
                value = raced;
            }
        }
        return (V) value;
    }

    /**
     * A fact derived from a value (a resource: its digest, the names it refers to) under a {@code kind} that tells
     * facts about the same value apart. Values are compared by {@code equals}, so a fact must depend only on the
     * value's content; protobuf messages remember their hash code, so looking up an instance seen before is cheap
     * and allocates nothing.
     */
    @SuppressWarnings("unchecked")
    public <V> V derived(String kind, Object value, Supplier<V> compute) {
        ConcurrentHashMap<Object, Object> facts = byKind.get(kind);
        if (facts == null) {
            facts = byKind.computeIfAbsent(kind, k -> new ConcurrentHashMap<>());
        }
        Object fact = facts.get(value);
        if (fact == null) {
            fact = compute.get();
            Object raced = facts.putIfAbsent(value, fact);
            if (raced != null) {
                fact = raced;
            }
        }
        return (V) fact;
    }

    /** How many values and facts are held. */
    public int size() {
        return byKey.size() + byKind.values().stream().mapToInt(Map::size).sum();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SharedResources;
    }

    @Override
    public int hashCode() {
        return 0;
    }

    @Override
    public String toString() {
        return "SharedResources[" + size() + " values and facts]";
    }
}
