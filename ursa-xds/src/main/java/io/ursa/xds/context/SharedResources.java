package io.ursa.xds.context;

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
     * A fact derived from one object instance (compared by identity, so no deep {@code hashCode}), under a
     * {@code kind} that tells facts about the same instance apart.
     */
    public <V> V derived(String kind, Object instance, Supplier<V> compute) {
        return computeIfAbsent(new Derived(kind, instance), compute);
    }

    /** How many values are held. */
    public int size() {
        return byKey.size();
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
        return "SharedResources[" + byKey.size() + " values]";
    }

    /** A key by instance identity. */
    private record Derived(String kind, Object instance) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Derived that && kind.equals(that.kind) && instance == that.instance;
        }

        @Override
        public int hashCode() {
            return 31 * kind.hashCode() + System.identityHashCode(instance);
        }
    }
}
