package io.ursa.xds.generator.template;

import com.google.protobuf.Message;
import io.ursa.xds.resources.EnvoyType;
import io.ursa.xds.resources.ResourceSet;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The resources of a proxy while its ProxyTemplate is applied, each with its origin (Kuma's
 * {@code core_xds.ResourceSet} of {@code Resource{Name, Origin, Resource}}). As in Kuma, a resource put under a
 * (type, name) that is already there replaces it. Built only for a proxy a ProxyTemplate selects; not thread-safe.
 */
final class TemplateResources {
    /** A resource, its name and the origin it was generated with. */
    record Entry(String name, String origin, Message resource) {
    }

    private final Map<EnvoyType, SortedMap<String, Entry>> byType = new EnumMap<>(EnvoyType.class);

    /** Puts every resource of {@code set} with {@code origin}, replacing those of the same (type, name). */
    void putAll(String origin, ResourceSet set) {
        for (EnvoyType type : set.types()) {
            set.byName(type).forEach((name, resource) -> of(type).put(name, new Entry(name, origin, resource)));
        }
    }

    /** Puts {@code resource} with {@code origin}, replacing the one of the same (type, name). */
    void put(String origin, Message resource) {
        EnvoyType type = typeOf(resource);
        String name = type.nameOf(resource);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a " + resource.getDescriptorForType().getFullName()
                    + " without a name (expected: a name)");
        }
        of(type).put(name, new Entry(name, origin, resource));
    }

    /** The resources of {@code type}, by name; a copy, so the set may change while it is walked. */
    List<Entry> entries(EnvoyType type) {
        return new ArrayList<>(of(type).values());
    }

    /**
     * Replaces {@code entry} with {@code changed}, keeping its origin; a changed name moves it, and fails when
     * another resource has the new name.
     */
    void replace(Entry entry, Message changed) {
        EnvoyType type = typeOf(changed);
        String before = entry.name();
        String after = type.nameOf(changed);
        if (!after.equals(before)) {
            if (after.isEmpty() || of(type).containsKey(after)) {
                throw new IllegalArgumentException("the patch renames " + type + " \"" + before + "\" to \"" + after
                        + "\" (expected: a name no other " + type + " has)");
            }
            of(type).remove(before);
        }
        of(type).put(after, new Entry(after, entry.origin(), changed));
    }

    void remove(Entry entry) {
        of(typeOf(entry.resource())).remove(entry.name());
    }

    ResourceSet build() {
        ResourceSet.Builder builder = ResourceSet.builder();
        byType.values().forEach(entries -> entries.values().forEach(entry -> builder.add(entry.resource())));
        return builder.build();
    }

    private SortedMap<String, Entry> of(EnvoyType type) {
        return byType.computeIfAbsent(type, t -> new TreeMap<>());
    }

    private static EnvoyType typeOf(Message resource) {
        return EnvoyType.of(resource).orElseThrow(() -> new IllegalArgumentException(
                "not a resource type Ursa serves: " + resource.getDescriptorForType().getFullName()
                        + " (expected one of: " + List.of(EnvoyType.values()) + ")"));
    }
}
