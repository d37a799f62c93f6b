package io.ursa.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import io.ursa.api.codec.Json;
import java.util.Optional;
import java.util.Set;

/** Stands in for the xDS server: the named dataplanes (mesh/name) have one connected subscription. */
record ConnectedDataplanes(Set<String> connected) implements DataplaneInsights {
    static final String INSIGHT = """
            {"subscriptions":[{"id":"stream-1","controlPlaneInstanceId":"test-instance",
              "connectTime":"2024-01-01T00:00:00Z",
              "status":{"lastUpdateTime":"2024-01-01T00:00:00Z","total":{},"cds":{},"eds":{},"lds":{},"rds":{}}}]}
            """;

    @Override
    public Optional<JsonNode> insightOf(String mesh, String name) {
        if (!connected.contains(mesh + "/" + name)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.json().readTree(INSIGHT));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
