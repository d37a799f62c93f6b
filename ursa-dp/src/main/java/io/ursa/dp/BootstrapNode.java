package io.ursa.dp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.ursa.api.codec.Json;

/**
 * The {@code node} of an Envoy bootstrap (id, cluster, metadata, locality), read from the YAML the control plane
 * sent, for the agent's own ADS streams: presenting exactly Envoy's node makes the control plane treat them as
 * streams of the same proxy, with the same kind and the same generated configuration.
 */
final class BootstrapNode {
    private BootstrapNode() {
    }

    /** The node of {@code bootstrapYaml}; a bootstrap without a usable node is a {@link DpException}. */
    static Node parse(String bootstrapYaml) {
        try {
            JsonNode node = Json.yaml().readTree(bootstrapYaml).path("node");
            if (!node.isObject() || node.path("id").asText("").isEmpty()) {
                throw new DpException("the bootstrap from the control plane has no node id (expected: node.id"
                        + " <mesh>.<name>)");
            }
            Node.Builder builder = Node.newBuilder();
            JsonFormat.parser().ignoringUnknownFields().merge(Json.json().writeValueAsString(node), builder);
            return builder.build();
        } catch (JsonProcessingException | InvalidProtocolBufferException e) {
            throw new DpException("could not read the node of the bootstrap from the control plane: "
                    + e.getMessage());
        }
    }
}
