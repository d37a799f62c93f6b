package io.ursa.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.Collectors;

/**
 * kumactl 2.0's text of {@code inspect meshgateway NAME} ({@code app/kumactl/cmd/inspect/inspect_meshgateway.go}):
 * the name of each Dataplane the MeshGateway matches, one a line, from the answer of
 * {@code GET /meshes/{mesh}/meshgateways/{name}/dataplanes} ({@code {"total": N, "items": [{"dataplane":
 * {"mesh", "name"}}]}}).
 */
final class GatewayDataplanesText {
    private GatewayDataplanesText() {
    }

    static String render(JsonNode answer) {
        return JsonFields.elements(answer, "items").stream()
                .map(item -> JsonFields.text(item, "dataplane", "name") + "\n")
                .collect(Collectors.joining());
    }
}
