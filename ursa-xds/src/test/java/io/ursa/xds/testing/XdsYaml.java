package io.ursa.xds.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.ursa.xds.envoy.Protos;
import io.ursa.xds.resources.EnvoyType;
import io.ursa.xds.resources.ResourceSet;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A {@link ResourceSet} as the tree Kuma's golden files hold: {@code resources: [{name, resource}]}, sorted by
 * type URL and then by name, each resource as proto JSON with its {@code '@type'}.
 */
public final class XdsYaml {
    private static final ObjectMapper JSON = new ObjectMapper();

    private XdsYaml() {
    }

    /** The tree of {@code resources}, or null when it is empty (no golden file). */
    public static JsonNode toTree(ResourceSet resources) {
        if (resources.isEmpty()) {
            return null;
        }
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("resources");
        for (EnvoyType type : resources.types()) {
            resources.byName(type).forEach((name, resource) -> {
                ObjectNode entry = list.addObject();
                entry.put("name", name);
                entry.set("resource", json(resource));
            });
        }
        return root;
    }

    private static JsonNode json(Message resource) {
        try {
            return JSON.readTree(StrictEnvoyProtos.printer().print(Protos.pack(resource)));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot print " + resource.getDescriptorForType().getFullName(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
