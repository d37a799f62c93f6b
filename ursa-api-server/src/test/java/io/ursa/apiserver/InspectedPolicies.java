package io.ursa.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursa.api.codec.Json;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for the xDS server's policy matching: {@code hits} says, per Dataplane ({@code mesh/name}), which
 * policies match it where, as lines {@code <attachment type> <attachment name> <service> <PolicyType>/<name>}; a
 * Dataplane not listed is unknown to it. {@link #bulkCalls()} counts the questions about a whole mesh.
 */
record InspectedPolicies(Map<String, List<String>> hits, AtomicInteger bulkCalls) implements DataplaneInspector {

    InspectedPolicies(Map<String, List<String>> hits) {
        this(Map.copyOf(hits), new AtomicInteger());
    }

    @Override
    public Optional<JsonNode> servedConfig(String mesh, String name) {
        return Optional.empty();
    }

    @Override
    public Optional<JsonNode> matchedPolicies(String mesh, String name) {
        List<String> lines = hits.get(mesh + "/" + name);
        if (lines == null) {
            return Optional.empty();
        }
        ObjectNode answer = Json.json().createObjectNode();
        answer.put("kind", "SidecarDataplane");
        ArrayNode items = answer.putArray("items");
        for (String line : lines) {
            String[] parts = line.split(" ");
            String[] policy = parts[3].split("/");
            ObjectNode item = items.addObject();
            item.put("type", parts[0]);
            item.put("name", parts[1].equals("-") ? "" : parts[1]);
            item.put("service", parts[2].equals("-") ? "" : parts[2]);
            ObjectNode matched = item.putObject("matchedPolicies").putArray(policy[0]).addObject();
            matched.put("type", policy[0]);
            matched.put("mesh", mesh);
            matched.put("name", policy[1]);
        }
        answer.put("total", items.size());
        return Optional.of(answer);
    }

    @Override
    public Map<String, JsonNode> matchedPolicies(String mesh, Collection<String> names) {
        bulkCalls.incrementAndGet();
        return DataplaneInspector.super.matchedPolicies(mesh, names);
    }
}
