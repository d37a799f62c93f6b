package io.ursa.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursa.api.codec.Json;
import java.util.Optional;

/**
 * Where one policy hits one Dataplane, read from the Dataplane's inspect answer (the JSON of
 * {@code GET /meshes/{mesh}/dataplanes/{name}/policies}), so that the policy's view and the Dataplane's view
 * cannot disagree: Kuma 2.0's {@code PolicyInspectEntry} of a sidecar,
 * {@code {"kind":"SidecarDataplane","dataplane":{"mesh","name"},"attachments":[{"type","name","service"}]}}, an
 * attachment per item of the answer whose {@code matchedPolicies} list the policy, in the answer's order.
 * Stateless.
 */
final class PolicyHits {
    static final String SIDECAR_DATAPLANE = "SidecarDataplane";

    private PolicyHits() {
    }

    /**
     * The entry of Dataplane {@code mesh/dataplane} for policy {@code type/policy}; empty when the policy matches
     * none of the Dataplane's attachments.
     */
    static Optional<ObjectNode> entry(String mesh, String dataplane, JsonNode matched, String type, String policy) {
        ArrayNode attachments = Json.json().createArrayNode();
        for (JsonNode item : matched.path("items")) {
            if (lists(item.path("matchedPolicies").path(type), mesh, policy)) {
                ObjectNode attachment = attachments.addObject();
                attachment.put("type", item.path("type").asText(""));
                attachment.put("name", item.path("name").asText(""));
                attachment.put("service", item.path("service").asText(""));
            }
        }
        if (attachments.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode entry = Json.json().createObjectNode();
        entry.put("kind", matched.path("kind").asText(SIDECAR_DATAPLANE));
        entry.putObject("dataplane").put("mesh", mesh).put("name", dataplane);
        entry.set("attachments", attachments);
        return Optional.of(entry);
    }

    private static boolean lists(JsonNode policies, String mesh, String name) {
        for (JsonNode policy : policies) {
            if (name.equals(policy.path("name").asText()) && mesh.equals(policy.path("mesh").asText(mesh))) {
                return true;
            }
        }
        return false;
    }
}
