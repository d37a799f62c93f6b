package io.ursa.xds.resources;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An immutable set of Envoy resources, by {@link EnvoyType} and then by name (sorted). A (type, name) appears at
 * most once: {@link Builder#add} and {@link #merge} refuse a duplicate instead of silently replacing it.
 */
public final class ResourceSet {
    private static final ResourceSet EMPTY = new ResourceSet(new EnumMap<>(EnvoyType.class));

    private final Map<EnvoyType, SortedMap<String, Message>> byType;

    /** Takes {@code byType} over: nobody else may hold its maps. */
    private ResourceSet(Map<EnvoyType, SortedMap<String, Message>> byType) {
        EnumMap<EnvoyType, SortedMap<String, Message>> owned = new EnumMap<>(EnvoyType.class);
        byType.forEach((type, resources) -> {
            if (!resources.isEmpty()) {
                owned.put(type, Collections.unmodifiableSortedMap(resources));
            }
        });
        this.byType = Collections.unmodifiableMap(owned);
    }

    public static ResourceSet empty() {
        return EMPTY;
    }

    /** A set of the given resources; fails on an unknown message type, an empty name or a duplicate. */
    public static ResourceSet of(Message... resources) {
        Builder builder = builder();
        for (Message resource : resources) {
            builder.add(resource);
        }
        return builder.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The types that have at least one resource, in type-URL order. */
    public List<EnvoyType> types() {
        return List.copyOf(byType.keySet());
    }

    /** The resources of {@code type}, sorted by name; empty when there are none. */
    public List<Message> resources(EnvoyType type) {
        return List.copyOf(byType(type).values());
    }

    /** The resources of {@code type} by name, sorted. */
    public SortedMap<String, Message> byName(EnvoyType type) {
        return byType(type);
    }

    /** The resources of a message class, sorted by name (e.g. {@code resources(Cluster.class)}). */
    public <M extends Message> List<M> resources(Class<M> messageClass) {
        EnvoyType type = typeOf(messageClass);
        return byType(type).values().stream().map(messageClass::cast).toList();
    }

    /** The resource of that class and name. */
    public <M extends Message> Optional<M> get(Class<M> messageClass, String name) {
        return Optional.ofNullable(byType(typeOf(messageClass)).get(name)).map(messageClass::cast);
    }

    public boolean isEmpty() {
        return byType.isEmpty();
    }

    /** How many resources of every type. */
    public int size() {
        return byType.values().stream().mapToInt(Map::size).sum();
    }

    /** This set plus {@code other}; fails with the (type, name) when both hold the same one. */
    public ResourceSet merge(ResourceSet other) {
        requireNonNull(other, "other");
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        Builder builder = builder().addAll(this);
        return builder.addAll(other).build();
    }

    private SortedMap<String, Message> byType(EnvoyType type) {
        return byType.getOrDefault(requireNonNull(type, "type"), Collections.emptySortedMap());
    }

    private static EnvoyType typeOf(Class<? extends Message> messageClass) {
        EnvoyType type = EnvoyType.ofClass(messageClass);
        if (type != null) {
            return type;
        }
        throw new IllegalArgumentException("not an xDS resource type: " + messageClass.getName()
                + " (expected one of: " + List.of(EnvoyType.values()) + ")");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResourceSet that && byType.equals(that.byType);
    }

    @Override
    public int hashCode() {
        return byType.hashCode();
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        byType.forEach((type, resources) -> parts.add(type.name() + resources.keySet()));
        return "ResourceSet" + parts;
    }

    /** Collects resources; not thread-safe. */
    public static final class Builder {
        private final Map<EnvoyType, SortedMap<String, Message>> byType = new EnumMap<>(EnvoyType.class);

        private Builder() {
        }

        /** Adds one resource; fails on an unknown message type, an empty name or a duplicate (type, name). */
        public Builder add(Message resource) {
            requireNonNull(resource, "resource");
            EnvoyType type = EnvoyType.of(resource).orElseThrow(() -> new IllegalArgumentException(
                    "not an xDS resource type: " + resource.getDescriptorForType().getFullName()
                            + " (expected one of: " + List.of(EnvoyType.values()) + ")"));
            String name = type.nameOf(resource);
            if (name.isEmpty()) {
                throw new IllegalArgumentException("invalid " + type + " name: \"\" (expected: a non-empty name)");
            }
            Message previous = byType.computeIfAbsent(type, t -> new TreeMap<>()).putIfAbsent(name, resource);
            if (previous != null) {
                throw new IllegalArgumentException("duplicate " + type + " \"" + name + "\"");
            }
            return this;
        }

        /**
         * Adds every resource of {@code set}; fails on a duplicate (type, name). Their types and names are known, and
         * the larger of the two sorted maps of a type is copied as it is (in linear time), the smaller one's
         * resources inserted into it.
         */
        public Builder addAll(ResourceSet set) {
            set.byType.forEach((type, resources) -> {
                SortedMap<String, Message> into = byType.get(type);
                if (into == null) {
                    byType.put(type, new TreeMap<>(resources));
                } else if (into.size() >= resources.size()) {
                    insert(type, resources, into);
                } else {
                    TreeMap<String, Message> merged = new TreeMap<>(resources);
                    insert(type, into, merged);
                    byType.put(type, merged);
                }
            });
            return this;
        }

        private static void insert(EnvoyType type, SortedMap<String, Message> resources,
                                   SortedMap<String, Message> into) {
            resources.forEach((name, resource) -> {
                if (into.putIfAbsent(name, resource) != null) {
                    throw new IllegalArgumentException("duplicate " + type + " \"" + name + "\"");
                }
            });
        }

        /** The set of everything added so far; the builder starts over empty. */
        public ResourceSet build() {
            if (byType.isEmpty()) {
                return EMPTY;
            }
            ResourceSet set = new ResourceSet(new EnumMap<>(byType));
            byType.clear(); // the set owns the maps now
            return set;
        }
    }
}
