package io.ursa.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursa.api.codec.Json;
import java.io.IOException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MeshInsightCountsTest {
    private static final DataplaneView TWO_INBOUNDS_ONE_UNHEALTHY = DataplaneFilterTest.view("""
            {"networking":{"address":"10.0.0.1","inbound":[
              {"port":1,"tags":{"kuma.io/service":"a"},"health":{}},
              {"port":2,"tags":{"kuma.io/service":"b"},"health":{"ready":true}}]}}""");
    private static final DataplaneView ALL_UNHEALTHY = DataplaneFilterTest.view("""
            {"networking":{"address":"10.0.0.2","inbound":[{"port":1,"tags":{"kuma.io/service":"a"},"health":{}}]}}""");
    private static final DataplaneView GATEWAY = DataplaneFilterTest.view("""
            {"networking":{"address":"10.0.0.3","gateway":{"tags":{"kuma.io/service":"edge"}}}}""");

    @Test
    void statusFollowsSubscriptionsAndInboundHealth() throws IOException {
        var connected = Optional.of(Json.json().readTree(ConnectedDataplanes.INSIGHT));
        var disconnected = Optional.of(Json.json().readTree("""
                {"subscriptions":[{"connectTime":"2024-01-01T00:00:00Z","disconnectTime":"2024-01-01T00:01:00Z"}]}"""));

        assertThat(DataplaneStatus.of(GATEWAY, Optional.empty())).isEqualTo(DataplaneStatus.OFFLINE);
        assertThat(DataplaneStatus.of(GATEWAY, disconnected)).isEqualTo(DataplaneStatus.OFFLINE);
        assertThat(DataplaneStatus.of(GATEWAY, connected)).isEqualTo(DataplaneStatus.ONLINE);
        assertThat(DataplaneStatus.of(TWO_INBOUNDS_ONE_UNHEALTHY, connected))
                .isEqualTo(DataplaneStatus.PARTIALLY_DEGRADED);
        assertThat(DataplaneStatus.of(ALL_UNHEALTHY, connected)).isEqualTo(DataplaneStatus.OFFLINE);
    }

    @Test
    void aProxyConnectedToAnotherInstanceIsOnlineThoughItsCountersAreKeptThere() throws IOException {
        var movedElsewhere = Optional.of(Json.json().readTree("""
                {"subscriptions":[
                  {"id":"1","controlPlaneInstanceId":"cp-a","connectTime":"2024-01-01T00:00:00Z",
                   "disconnectTime":"2024-01-01T00:01:00Z","status":{"total":{"responsesSent":"3"}}},
                  {"id":"2","controlPlaneInstanceId":"cp-b","connectTime":"2024-01-01T00:01:01Z"}]}"""));

        assertThat(DataplaneStatus.of(GATEWAY, movedElsewhere)).isEqualTo(DataplaneStatus.ONLINE);
    }

    @Test
    void servicesAreDistinctInboundAndExternalServices() throws IOException {
        MeshInsightCounts counts = new MeshInsightCounts();
        counts.addDataplane(TWO_INBOUNDS_ONE_UNHEALTHY, DataplaneStatus.PARTIALLY_DEGRADED);
        counts.addDataplane(ALL_UNHEALTHY, DataplaneStatus.OFFLINE);
        counts.addDataplane(GATEWAY, DataplaneStatus.ONLINE);
        counts.addExternalService(Json.json().readTree("{\"tags\":{\"kuma.io/service\":\"httpbin\"}}"));
        counts.addExternalService(Json.json().readTree("{\"tags\":{\"kuma.io/service\":\"httpbin\"}}"));
        counts.addPolicies("TrafficLog", 2);
        counts.addPolicies("Retry", 0);

        ObjectNode insight = counts.writeTo(Json.json().createObjectNode());

        assertThat(insight.toString()).isEqualTo("{\"dataplanes\":{\"total\":3,\"online\":1,\"offline\":1,"
                + "\"partiallyDegraded\":1},\"policies\":{\"TrafficLog\":{\"total\":2}},"
                + "\"services\":{\"total\":3,\"internal\":2,\"external\":1},"
                + "\"dataplanesByType\":{\"standard\":{\"total\":2,\"offline\":1,\"partiallyDegraded\":1},"
                + "\"gateway\":{\"total\":1,\"online\":1}}}");
    }
}
