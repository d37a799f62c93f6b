package io.ursa.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/** Tags as kumactl prints them: {@code kuma.io/service=metrics,mobile version=v1} (keys and values sorted). */
final class TagSets {
    private TagSets() {
    }

    /** A Dataplane's tags: of every inbound and of its gateway. {@code dataplane} is the spec (Universal form). */
    static String ofDataplane(JsonNode dataplane) {
        Map<String, SortedSet<String>> tags = new TreeMap<>();
        for (JsonNode inbound : JsonFields.elements(dataplane, "networking", "inbound")) {
            collect(inbound.path("tags"), tags);
        }
        collect(JsonFields.at(dataplane, "networking", "gateway", "tags"), tags);
        return format(tags);
    }

    /** A single tag map, e.g. an ExternalService's {@code tags}. */
    static String of(JsonNode tagMap) {
        Map<String, SortedSet<String>> tags = new TreeMap<>();
        collect(tagMap, tags);
        return format(tags);
    }

    private static String format(Map<String, SortedSet<String>> tags) {
        List<String> parts = new ArrayList<>();
        tags.forEach((key, values) -> parts.add(key + "=" + String.join(",", values)));
        return String.join(" ", parts);
    }

    private static void collect(JsonNode tagMap, Map<String, SortedSet<String>> into) {
        if (!tagMap.isObject()) {
            return;
        }
        tagMap.fields().forEachRemaining(e ->
                into.computeIfAbsent(e.getKey(), k -> new TreeSet<>()).add(e.getValue().asText()));
    }
}
