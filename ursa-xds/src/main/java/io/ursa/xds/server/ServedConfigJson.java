package io.ursa.xds.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.envoyproxy.controlplane.cache.VersionedResource;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.ursa.xds.envoy.EnvoyJson;
import io.ursa.xds.resources.EnvoyType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The configuration a proxy is served, for the API ({@code /meshes/{mesh}/dataplanes/{name}/xds}):
 * {@code {"nodeId", "versions": {"<type URL>": "<version>"}, "resources": [{"type", "name", "resource"}]}}, each
 * resource as proto JSON, types in xDS order and names sorted, types without resources left out. Like Envoy's
 * config dump, it never shows a private key: every {@code privateKey} of a Secret reads
 * {@code {"inlineString": "[redacted]"}}.
 */
final class ServedConfigJson {
    static final String REDACTED = "[redacted]";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ServedConfigJson() {
    }

    static ObjectNode of(String nodeId, Snapshot snapshot) {
        ObjectNode root = JSON.createObjectNode();
        root.put("nodeId", nodeId);
        ObjectNode versions = root.putObject("versions");
        ArrayNode resources = root.putArray("resources");
        for (EnvoyType type : EnvoyType.values()) {
            Map<String, VersionedResource<?>> byName = new TreeMap<>(snapshot.resources(type.typeUrl()));
            if (byName.isEmpty()) {
                continue;
            }
            versions.put(type.typeUrl(), snapshot.version(type.typeUrl()));
            byName.forEach((name, resource) -> {
                ObjectNode entry = resources.addObject();
                entry.put("type", type.typeUrl());
                entry.put("name", name);
                JsonNode json = read(EnvoyJson.print(resource.resource()));
                if (type == EnvoyType.SECRET) {
                    redactPrivateKeys(json);
                }
                entry.set("resource", json);
            });
        }
        return root;
    }

    private static void redactPrivateKeys(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (field.getKey().equals("privateKey")) {
                    field.setValue(JSON.createObjectNode().put("inlineString", REDACTED));
                } else {
                    redactPrivateKeys(field.getValue());
                }
            }
        } else if (node instanceof ArrayNode array) {
            array.forEach(ServedConfigJson::redactPrivateKeys);
        }
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
