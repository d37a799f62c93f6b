package io.ursa.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.ursa.apiserver.golden.GoldenJson;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InsightEndpointsTest {
    private TestServer api;

    @BeforeEach
    void startServer() {
        api = TestServer.start(ApiServerConfig.defaults(), new ConnectedDataplanes(Set.of("demo/backend-1")));
        api.seed(Fixtures.MESH_DEMO);
        api.seed(Fixtures.MESH_OTHER);
    }

    @AfterEach
    void stopServer() {
        api.close();
    }

    @Test
    void meshInsightCountsDataplanesPoliciesAndServices() {
        api.seed(Fixtures.DATAPLANES);
        api.seed(Fixtures.EXTERNAL_SERVICE);
        api.seed(Fixtures.trafficLog("demo", "a") + "---\n" + Fixtures.trafficLog("demo", "b") + "---\n"
                + Fixtures.trafficLog("other", "c"));

        Reply reply = api.get("/mesh-insights/demo");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        GoldenJson.assertMatches(reply.body(), "testdata/api/mesh-insight.golden.json", ResourceEndpointsTest.TIMES);
    }

    @Test
    void meshInsightOfAnEmptyMeshOmitsZeroCounters() {
        var insight = api.get("/mesh-insights/other").json();

        assertThat(insight.path("dataplanes").isEmpty()).isTrue();
        assertThat(insight.has("policies")).isFalse();
        assertThat(insight.path("services").isEmpty()).isTrue();
    }

    @Test
    void meshInsightsAreListedLikeResources() {
        Reply reply = api.get("/mesh-insights?size=1");

        assertThat(reply.json().path("total").asLong()).isEqualTo(2);
        assertThat(reply.items("name")).containsExactly("demo");
        assertThat(reply.items("type")).containsExactly("MeshInsight");
        assertThat(reply.json().path("next").asText()).isEqualTo(api.address() + "/mesh-insights?offset=1&size=1");
    }

    @Test
    void meshInsightOfAnUnknownMeshIs404() {
        Reply reply = api.get("/mesh-insights/nowhere");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.json().path("details").asText()).isEqualTo("Not found");
    }

    @Test
    void globalInsightsCountGlobalResources() {
        var insights = api.get("/global-insights").json();

        assertThat(insights.path("type").asText()).isEqualTo("GlobalInsights");
        assertThat(insights.path("creationTime").asText()).isNotEmpty();
        assertThat(insights.path("resources").path("Mesh").path("total").asLong()).isEqualTo(2);
        assertThat(insights.path("resources").has("Dataplane")).isFalse();
        assertThat(insights.path("resources").path("ZoneEgress").path("total").asLong())
                .as("every global type, as Kuma's").isZero();
        assertThat(insights.path("resources").path("ZoneEgress").has("total")).isTrue();
    }
}
