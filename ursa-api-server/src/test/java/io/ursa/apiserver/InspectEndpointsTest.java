package io.ursa.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.ursa.apiserver.golden.GoldenJson;
import io.ursa.apiserver.golden.Scrubber;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InspectEndpointsTest {
    private TestServer api;

    @BeforeEach
    void startServer() {
        api = TestServer.start(ApiServerConfig.defaults(), DataplaneInsights.none(),
                new ConnectedInspector(Set.of("demo/backend-1")));
        api.seed(Fixtures.MESH_DEMO);
        api.seed(Fixtures.DATAPLANES);
    }

    @AfterEach
    void stopServer() {
        api.close();
    }

    @Test
    void servesTheConfigurationOfAConnectedDataplane() {
        Reply reply = api.get("/meshes/demo/dataplanes/backend-1/xds");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(reply.json().path("nodeId").asText()).isEqualTo("demo.backend-1");
        assertThat(reply.json().at("/resources/0/name").asText()).isEqualTo("inbound:192.168.0.1:10000");
    }

    @Test
    void aDataplaneWhoseProxyIsNotConnectedHasNoConfigurationAndSaysSo() {
        Reply reply = api.get("/meshes/demo/dataplanes/backend-2/xds");

        assertThat(reply.status()).isEqualTo(404);
        GoldenJson.assertMatches(reply.body(), "testdata/api/error-inspect-not-connected.golden.json",
                Scrubber.none());
    }

    @Test
    void unknownDataplaneIs404NotFoundAndUnknownMeshIs400() {
        Reply xds = api.get("/meshes/demo/dataplanes/ghost/xds");
        Reply policies = api.get("/meshes/demo/dataplanes/ghost/policies");
        Reply unknownMesh = api.get("/meshes/nowhere/dataplanes/backend-1/policies");

        assertThat(xds.status()).isEqualTo(404);
        GoldenJson.assertMatches(xds.body(), "testdata/api/error-inspect-unknown-dataplane.golden.json",
                Scrubber.none());
        assertThat(policies.status()).isEqualTo(404);
        assertThat(policies.json().path("title").asText()).isEqualTo("Could not get MatchedPolicies");
        assertThat(policies.json().path("details").asText()).isEqualTo("Not found");
        assertThat(unknownMesh.status()).isEqualTo(400);
        assertThat(unknownMesh.causes()).containsExactly("mesh: mesh of name nowhere is not found");
    }

    @Test
    void listsThePoliciesThatMatchADataplaneWhetherConnectedOrNot() {
        Reply reply = api.get("/meshes/demo/dataplanes/backend-2/policies");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        GoldenJson.assertMatches(reply.body(), "testdata/api/inspect-policies.golden.json", Scrubber.none());
    }

    @Test
    void withoutAnXdsServerNoDataplaneIsServedAnything() {
        try (TestServer bare = TestServer.start()) {
            bare.seed(Fixtures.MESH_DEMO);
            bare.seed(Fixtures.DATAPLANES);

            assertThat(bare.get("/meshes/demo/dataplanes/backend-1/xds").status()).isEqualTo(404);
            assertThat(bare.get("/meshes/demo/dataplanes/backend-1/policies").status()).isEqualTo(404);
        }
    }

    @Test
    void listsTheGatewayDataplanesOfAMeshGatewayAndOfARouteAndAnUnknownOneIs404() {
        api.seed("""
                type: MeshGateway
                mesh: demo
                name: edge
                selectors: [{match: {kuma.io/service: edge}}]
                conf:
                  listeners: [{port: 8080, protocol: HTTP}]
                """);
        api.seed("""
                type: MeshGatewayRoute
                mesh: demo
                name: edge-route
                selectors: [{match: {kuma.io/service: edge}}]
                conf:
                  http:
                    rules: [{matches: [{path: {match: PREFIX, value: /}}], backends: [{destination: {kuma.io/service: backend}}]}]
                """);

        Reply gateway = api.get("/meshes/demo/meshgateways/edge/dataplanes");
        Reply route = api.get("/meshes/demo/meshgatewayroutes/edge-route/dataplanes");
        Reply unknown = api.get("/meshes/demo/meshgateways/ghost/dataplanes");
        Reply unknownRoute = api.get("/meshes/demo/meshgatewayroutes/ghost/dataplanes");

        // the test inspector knows no gateway: what the API answers without an xDS side
        assertThat(gateway.status()).as(gateway.toString()).isEqualTo(200);
        assertThat(gateway.json().toString()).isEqualTo("{\"total\":0,\"items\":[]}");
        assertThat(route.status()).as(route.toString()).isEqualTo(200);
        assertThat(route.json().path("total").asInt()).isZero();
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("title").asText()).isEqualTo("Could not find MeshGateway");
        assertThat(unknownRoute.status()).isEqualTo(404);
        assertThat(unknownRoute.json().path("title").asText()).isEqualTo("Could not find MeshGatewayRoute");
    }
}
