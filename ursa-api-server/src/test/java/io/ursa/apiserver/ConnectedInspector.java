package io.ursa.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursa.api.codec.Json;
import java.util.Optional;
import java.util.Set;

/**
 * Stands in for the xDS server's inspector: the named dataplanes (mesh/name) are connected and served a one-listener
 * configuration; every dataplane it is asked about is matched by one TrafficPermission. Both answers name the
 * dataplane they were asked for, so a test sees that the API asked about the right one.
 */
record ConnectedInspector(Set<String> connected) implements DataplaneInspector {

    @Override
    public Optional<JsonNode> servedConfig(String mesh, String name) {
        if (!connected.contains(mesh + "/" + name)) {
            return Optional.empty();
        }
        ObjectNode config = Json.json().createObjectNode();
        config.put("nodeId", mesh + "." + name);
        config.putObject("versions").put("type.googleapis.com/envoy.config.listener.v3.Listener", "v1");
        ObjectNode listener = config.putArray("resources").addObject();
        listener.put("type", "type.googleapis.com/envoy.config.listener.v3.Listener");
        listener.put("name", "inbound:192.168.0.1:10000");
        listener.putObject("resource").put("name", "inbound:192.168.0.1:10000");
        return Optional.of(config);
    }

    @Override
    public Optional<JsonNode> matchedPolicies(String mesh, String name) {
        ObjectNode result = Json.json().createObjectNode();
        result.put("kind", "SidecarDataplane");
        result.put("total", 1);
        ObjectNode item = result.putArray("items").addObject();
        item.put("type", "inbound");
        item.put("name", name + ":10000:10001");
        item.put("service", "backend");
        ObjectNode policy = item.putObject("matchedPolicies").putArray("TrafficPermission").addObject();
        policy.put("type", "TrafficPermission");
        policy.put("mesh", mesh);
        policy.put("name", "allow-all");
        return Optional.of(result);
    }
}
