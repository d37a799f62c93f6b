package io.ursa.xds.context;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.MessageLite;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What the proxies of one {@link MeshContext} compute once and share: generated resources keyed by exactly the
 * inputs they were generated from, and facts derived from one resource instance (its digest, the names it
 * refers to). Many proxies of a mesh are replicas of one workload with the same outbounds and tags, so they get
 * the same resource instances: generated once, hashed once, and held once in memory.
 *
 * <p>A new mesh context starts empty, so nothing outlives the inputs it was computed from, except what a narrow
 * change provably leaves as it was ({@link CarriedKey}, {@link #carryFrom}). Not part of the
 * context's value: all instances are equal. Thread-safe; a value may be computed twice by racing callers, and
 * then either result is kept (both are equal).
 */
public final class SharedResources {
    /** The kinds of facts {@link #derivedAcross} looks up in the context this one follows. */
    private static final Set<String> ACROSS_KINDS = ConcurrentHashMap.newKeySet();

    /** Replaced only by {@link #follow}, before any value is computed, by a map sized for what is coming. */
    private volatile ConcurrentHashMap<Object, Object> byKey = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ConcurrentHashMap<Object, Object>> byKind = new ConcurrentHashMap<>();
    /** The facts of {@link #ACROSS_KINDS} of the context this one follows ({@link #follow}); empty before. */
    private volatile Map<String, ConcurrentHashMap<Object, Object>> earlierFacts = Map.of();

    /**
     * The value for {@code key}, computed by {@code compute} the first time. {@code key} must hold every input the
     * value depends on (records compare by value).
     */
    @SuppressWarnings("unchecked")
    public <V> V computeIfAbsent(Object key, Supplier<V> compute) {
        ConcurrentHashMap<Object, Object> values = byKey;
        Object value = values.get(key);
        if (value == null) {
            value = compute.get();
            Object raced = values.putIfAbsent(key, value);
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

    /**
     * Takes from {@code earlier}, the context this one replaces after a narrow change ({@link CarriedKey}), the
     * values whose keys the change does not affect, and the facts derived from those values; nothing else.
     *
     * @return how many values were carried
     */
    public int carryFrom(SharedResources earlier, Set<String> changedServices, boolean policiesChanged) {
        requireNonNull(earlier, "earlier");
        requireNonNull(changedServices, "changedServices");
        if (earlier == this) {
            return 0;
        }
        int carried = 0;
        for (Map.Entry<Object, Object> entry : earlier.byKey.entrySet()) {
            if (entry.getKey() instanceof CarriedKey key && !key.affectedBy(changedServices, policiesChanged)
                    && byKey.putIfAbsent(key, entry.getValue()) == null) {
                carried++;
                carryFacts(earlier, entry.getValue());
            }
        }
        return carried;
    }

    /** The facts {@code earlier} derived from {@code value} itself (a resource carried as it is). */
    private void carryFacts(SharedResources earlier, Object value) {
        if (!(value instanceof MessageLite)) {
            return; // facts are derived from resources; other values are looked up by their content only
        }
        earlier.byKind.forEach((kind, facts) -> {
            Object fact = facts.get(value);
            if (fact != null) {
                byKind.computeIfAbsent(kind, k -> new ConcurrentHashMap<>()).putIfAbsent(value, fact);
            }
        });
    }

    /**
     * {@link #derived}, first looking the fact up in the context this one follows ({@link #follow}): for facts of
     * values that stay equal from one context to the next (the filters of a proxy's listeners, mostly) and that are
     * cheap to compare, but not to derive (they must be unpacked).
     */
    public <V> V derivedAcross(String kind, Object value, Supplier<V> compute) {
        ACROSS_KINDS.add(kind);
        ConcurrentHashMap<Object, Object> earlier = earlierFacts.get(kind);
        if (earlier == null) {
            return derived(kind, value, compute);
        }
        return derived(kind, value, () -> {
            @SuppressWarnings("unchecked")
            V found = (V) earlier.get(value);
            return found != null ? found : compute.get();
        });
    }

    /**
     * Lets {@link #derivedAcross} find what {@code earlier}, the context this one replaces, derived. Only the facts
     * of those kinds are kept, and only {@code earlier}'s own (not those it found in its predecessor), so at most
     * the facts of two contexts are held at once. Called before this context's proxies are generated, it also
     * sizes the maps for as many values and facts as {@code earlier} holds.
     */
    public void follow(SharedResources earlier) {
        requireNonNull(earlier, "earlier");
        if (earlier == this) {
            return;
        }
        // A mesh holds about as many values and facts from one context to the next: sized for them from the
        // start, the maps are not resized (every entry moved) again and again while the proxies are generated.
        if (byKey.isEmpty()) {
            byKey = new ConcurrentHashMap<>(earlier.byKey.size());
        }
        earlier.byKind.forEach((kind, facts) -> byKind.putIfAbsent(kind, new ConcurrentHashMap<>(facts.size())));
        Map<String, ConcurrentHashMap<Object, Object>> facts = new java.util.HashMap<>();
        for (String kind : ACROSS_KINDS) {
            ConcurrentHashMap<Object, Object> ofKind = earlier.byKind.get(kind);
            if (ofKind != null) {
                facts.put(kind, ofKind);
            }
        }
        earlierFacts = Map.copyOf(facts);
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
