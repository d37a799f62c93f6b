package io.ursa.xds.context;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.MessageLite;
import java.util.HashMap;
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
     * The resources of the context this one replaced after a narrow change that it did not carry
     * ({@link #carryFrom}), by content: a resource computed again and equal to one of them is that earlier
     * instance, so what was derived from it (its digest) stays, and the snapshots of the proxies that hold it keep
     * their versions without hashing them again.
     */
    private volatile Map<Object, Earlier> recomputed = Map.of();

    /** Whether this context took values over from the one it replaced after a narrow change ({@link #carryFrom}). */
    private volatile boolean narrow;

    /**
     * How many narrow changes in a row a value may be carried across before a context carries nothing. Nothing tells
     * a value no proxy will ask for again (a departed workload's inbound side, a pod's old address) from one an
     * unchanged proxy still holds, so in a mesh that only sees narrow changes (deploys, autoscaling) such values
     * would pile up for as long as no policy or Mesh changes. Every this many changes, the values are computed
     * again instead, as those of a change's services are (an equal resource is still the earlier instance), so what
     * is no longer asked for is gone one context later. The cost is that one change in this many regenerates its
     * affected proxies' shared values.
     */
    static final int MAX_CARRIES_IN_A_ROW = 32;
    /** How many contexts in a row up to this one carried values ({@link #carryFrom}). */
    private volatile int carriesInARow;

    /** A resource of the context this one replaced, and the facts derived from it there, by kind. */
    private record Earlier(Object value, Map<String, Object> facts) {
    }

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
            Map<Object, Earlier> earlier = recomputed;
            if (!earlier.isEmpty() && value instanceof MessageLite) {
                value = earlierIfEqual(earlier, value);
            }
            Object raced = values.putIfAbsent(key, value);
            if (raced != null) {
                value = raced;
            }
        }
        return (V) value;
    }

    /** The earlier instance equal to {@code value}, with its facts; else {@code value}. */
    private Object earlierIfEqual(Map<Object, Earlier> earlier, Object value) {
        Earlier before = earlier.get(value);
        if (before == null) {
            return value;
        }
        before.facts().forEach((kind, fact) ->
                byKind.computeIfAbsent(kind, k -> new ConcurrentHashMap<>()).putIfAbsent(before.value(), fact));
        return before.value();
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
     * values whose keys the change does not affect, and the facts derived from those values. The values of the
     * keys it affects are computed again; a resource that comes out equal to one of them is that earlier instance.
     * After {@value #MAX_CARRIES_IN_A_ROW} contexts in a row that carried, every value is computed again this way.
     *
     * @return how many values were carried
     */
    public int carryFrom(SharedResources earlier, Set<String> changedServices, boolean policiesChanged) {
        requireNonNull(earlier, "earlier");
        requireNonNull(changedServices, "changedServices");
        if (earlier == this) {
            return 0;
        }
        boolean renew = earlier.carriesInARow >= MAX_CARRIES_IN_A_ROW;
        int carried = 0;
        Map<Object, Earlier> affected = new ConcurrentHashMap<>();
        for (Map.Entry<Object, Object> entry : earlier.byKey.entrySet()) {
            if (!(entry.getKey() instanceof CarriedKey key)) {
                continue;
            }
            if (renew || key.affectedBy(changedServices, policiesChanged)) {
                // computed again: an equal result is this instance
                if (entry.getValue() instanceof MessageLite) {
                    affected.putIfAbsent(entry.getValue(), new Earlier(entry.getValue(),
                            earlier.factsOf(entry.getValue())));
                }
            } else if (byKey.putIfAbsent(key, entry.getValue()) == null) {
                carried++;
                carryFacts(earlier, entry.getValue());
            }
        }
        recomputed = affected;
        narrow = true;
        carriesInARow = renew ? 0 : earlier.carriesInARow + 1;
        return carried;
    }

    /**
     * Whether this context took the values a narrow change left as they were over from the context it replaced
     * ({@link #carryFrom}): then the resources its proxies share with others are mostly the instances they had.
     */
    public boolean followsNarrowChange() {
        return narrow;
    }

    /** The facts derived here from {@code value} itself, by kind (none unless it is a resource). */
    private Map<String, Object> factsOf(Object value) {
        if (!(value instanceof MessageLite)) {
            return Map.of();
        }
        Map<String, Object> found = new HashMap<>();
        byKind.forEach((kind, facts) -> {
            Object fact = facts.get(value);
            if (fact != null) {
                found.put(kind, fact);
            }
        });
        return found;
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
        Map<String, ConcurrentHashMap<Object, Object>> facts = new HashMap<>();
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
