package io.ursa.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.ursa.apiserver.golden.GoldenJson;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DataplaneOverviewEndpointsTest {
    private TestServer api;

    @BeforeEach
    void startServer() {
        api = TestServer.start(ApiServerConfig.defaults(), new ConnectedDataplanes(Set.of("demo/backend-1")));
        api.seed(Fixtures.MESH_DEMO);
        api.seed(Fixtures.DATAPLANES);
    }

    @AfterEach
    void stopServer() {
        api.close();
    }

    @Test
    void listsDataplanesWithTheirInsights() {
        Reply reply = api.get("/meshes/demo/dataplanes+insights?size=2");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        GoldenJson.assertMatches(reply.body(), "testdata/api/dataplanes-insights.golden.json",
                ResourceEndpointsTest.TIMES.text(api.address(), "{{address}}"));
    }

    @Test
    void totalCountsEveryMatchNotJustThePage() {
        var page = api.get("/dataplanes+insights?size=1").json();

        assertThat(page.path("items")).hasSize(1);
        assertThat(page.path("total").asLong()).isEqualTo(4);
        assertThat(page.path("next").asText()).endsWith("/dataplanes+insights?offset=1&size=1");
    }

    @Test
    void dataplaneThatNeverConnectedHasNoInsight() {
        var overview = api.get("/meshes/demo/dataplanes+insights/backend-2").json();

        assertThat(overview.path("type").asText()).isEqualTo("DataplaneOverview");
        assertThat(overview.path("dataplane").path("networking").path("address").asText()).isEqualTo("192.168.0.2");
        assertThat(overview.has("dataplaneInsight")).isFalse();
    }

    @Test
    void filtersByTagsWithWildcardAndGateway() {
        assertThat(names("/meshes/demo/dataplanes+insights?tag=kuma.io/service:backend&tag=version:v2"))
                .containsExactly("backend-2");
        assertThat(names("/meshes/demo/dataplanes+insights?tag=version:*")).containsExactly("backend-1", "backend-2");
        assertThat(names("/meshes/demo/dataplanes+insights?gateway=true")).containsExactly("edge");
        assertThat(names("/meshes/demo/dataplanes+insights?gateway=false&tag=kuma.io/service:*"))
                .containsExactly("backend-1", "backend-2", "web-1");
        var filtered = api.get("/meshes/demo/dataplanes+insights?tag=kuma.io/service:backend&size=1").json();
        assertThat(filtered.path("total").asLong()).isEqualTo(2);
        assertThat(filtered.path("next").asText())
                .endsWith("/meshes/demo/dataplanes+insights?offset=1&size=1&tag=kuma.io%2Fservice%3Abackend");
    }

    @Test
    void gatewayOtherThanTrueOrFalseIs400() {
        Reply reply = api.get("/meshes/demo/dataplanes+insights?gateway=builtin");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().path("title").asText()).isEqualTo("Could not retrieve dataplane overviews");
        assertThat(reply.causes()).containsExactly("gateway: invalid value \"builtin\" (expected: true or false)");
    }

    @Test
    void unknownDataplaneIs404AndUnknownMeshIs400() {
        assertThat(api.get("/meshes/demo/dataplanes+insights/ghost").status()).isEqualTo(404);
        Reply unknownMesh = api.get("/meshes/nowhere/dataplanes+insights");
        assertThat(unknownMesh.status()).isEqualTo(400);
        assertThat(unknownMesh.causes()).containsExactly("mesh: mesh of name nowhere is not found");
    }

    private List<String> names(String path) {
        Reply reply = api.get(path);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return Reply.itemsOf(reply.json(), "name");
    }
}
