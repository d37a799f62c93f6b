package io.ursa.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.ursa.apiserver.golden.GoldenJson;
import io.ursa.apiserver.golden.Scrubber;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /meshes/{mesh}/{policy ws}/{name}/dataplanes} on a real server whose policy matching is a stand-in
 * ({@link InspectedPolicies}): the answer must list exactly the Dataplanes the matching names for that policy of
 * that mesh. The real matching is checked end to end in ursa-cp's ControlPlaneTest.
 */
class PolicyInspectEndpointsTest {
    private final InspectedPolicies inspector = new InspectedPolicies(Map.of(
            "demo/backend-1", List.of(
                    "inbound 192.168.0.1:10000:10001 backend TrafficPermission/backend-only",
                    "service web web TrafficLog/all",
                    "dataplane - - TrafficTrace/tracing"),
            "demo/backend-2", List.of(
                    "inbound 192.168.0.2:10000:10001 backend TrafficPermission/backend-only",
                    "dataplane - - TrafficTrace/tracing"),
            "demo/web-1", List.of(
                    "inbound 192.168.0.4:8080:8080 web TrafficPermission/web-only",
                    "outbound 127.0.0.1:20001 backend TrafficPermission/web-only",
                    "dataplane - - TrafficTrace/tracing"),
            "other/backend-9", List.of(
                    "inbound 192.168.1.9:10000:10000 backend TrafficPermission/backend-only")));
    private TestServer api;

    @BeforeEach
    void startServer() {
        api = TestServer.start(ApiServerConfig.defaults().withLocalhostIsAdmin(false), DataplaneInsights.none(),
                inspector);
        api.seed(Fixtures.MESH_DEMO);
        api.seed(Fixtures.MESH_OTHER);
        api.seed(Fixtures.DATAPLANES);
        api.seed("""
                type: Dataplane
                mesh: other
                name: backend-9
                networking:
                  address: 192.168.1.9
                  inbound:
                  - port: 10000
                    tags:
                      kuma.io/service: backend
                """);
        api.seed(Fixtures.trafficPermission("demo", "backend-only") + "---\n"
                + Fixtures.trafficPermission("demo", "web-only") + "---\n"
                + Fixtures.trafficPermission("demo", "unused") + "---\n"
                + Fixtures.trafficPermission("other", "backend-only") + "---\n"
                + Fixtures.trafficLog("demo", "all"));
    }

    @AfterEach
    void stopServer() {
        api.close();
    }

    @Test
    void listsTheDataplanesAPolicyHitsAndWhereInKumasShape() {
        Reply reply = api.get("/meshes/demo/traffic-permissions/backend-only/dataplanes");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        GoldenJson.assertMatches(reply.body(), "testdata/api/inspect-policy-dataplanes.golden.json",
                Scrubber.none());
    }

    @Test
    void aPolicyHitsOnlyTheDataplanesMatchedByItNotByOtherPoliciesOrOfOtherMeshes() {
        Reply web = api.get("/meshes/demo/traffic-permissions/web-only/dataplanes");
        Reply other = api.get("/meshes/other/traffic-permissions/backend-only/dataplanes");
        Reply log = api.get("/meshes/demo/traffic-logs/all/dataplanes");

        assertThat(web.json().at("/total").asLong()).isEqualTo(1);
        assertThat(web.json().at("/items/0/dataplane/name").asText()).isEqualTo("web-1");
        assertThat(web.json().at("/items/0/attachments").size()).as("the inbound and the outbound").isEqualTo(2);
        assertThat(other.json().at("/total").asLong()).isEqualTo(1);
        assertThat(other.json().at("/items/0/dataplane").toString())
                .isEqualTo("{\"mesh\":\"other\",\"name\":\"backend-9\"}");
        assertThat(log.json().at("/items/0/attachments").toString())
                .isEqualTo("[{\"type\":\"service\",\"name\":\"web\",\"service\":\"web\"}]");
        assertThat(inspector.bulkCalls().get()).as("one question per request").isEqualTo(3);
    }

    @Test
    void aPolicyThatHitsNothingHasNoDataplanes() {
        Reply reply = api.get("/meshes/demo/traffic-permissions/unused/dataplanes");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("{\"total\":0,\"items\":[]}");
    }

    @Test
    void unknownPolicyIs404AndUnknownMeshIs400() {
        Reply policy = api.get("/meshes/demo/traffic-permissions/ghost/dataplanes");
        Reply ofOtherType = api.get("/meshes/demo/traffic-routes/backend-only/dataplanes");
        Reply mesh = api.get("/meshes/nowhere/traffic-permissions/backend-only/dataplanes");

        assertThat(policy.status()).isEqualTo(404);
        assertThat(policy.json().path("title").asText()).isEqualTo("Could not list Dataplanes");
        assertThat(policy.json().path("details").asText()).isEqualTo("Not found");
        assertThat(ofOtherType.status()).isEqualTo(404);
        assertThat(mesh.status()).isEqualTo(400);
        assertThat(mesh.causes()).containsExactly("mesh: mesh of name nowhere is not found");
    }

    @Test
    void typesThatAreNotInspectableHaveNoSuchEndpoint() {
        api.seed(Fixtures.EXTERNAL_SERVICE);

        Reply externalService = api.get("/meshes/demo/external-services/httpbin/dataplanes");
        Reply dataplane = api.get("/meshes/demo/dataplanes/web-1/dataplanes");

        assertThat(externalService.status()).isEqualTo(404);
        assertThat(externalService.json().path("title").asText()).isEqualTo("Unknown endpoint");
        assertThat(dataplane.status()).isEqualTo(404);
        assertThat(dataplane.json().path("title").asText()).isEqualTo("Unknown endpoint");
    }

    @Test
    void anonymousCallersInspectPoliciesAsTheyReadThem() {
        assertThat(api.get("/meshes/demo/traffic-permissions/web-only").status()).isEqualTo(200);
        assertThat(api.get("/meshes/demo/traffic-permissions/web-only/dataplanes").status()).isEqualTo(200);
    }
}
