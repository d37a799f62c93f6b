package io.ursa.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * MeshGateway and MeshGatewayRoute over REST: the CRUD paths come from the type registry, both forms are accepted,
 * an invalid one is refused with Kuma's error JSON naming the field, and mesh insights count them as policies.
 */
class GatewayEndpointsTest {
    private static final String GATEWAY = """
            type: MeshGateway
            mesh: demo
            name: edge
            selectors:
            - match:
                kuma.io/service: edge-gateway
            conf:
              listeners:
              - port: 8080
                protocol: HTTP
                hostname: shop.example.com
            """;

    private static final String ROUTE_K8S = """
            apiVersion: kuma.io/v1alpha1
            kind: MeshGatewayRoute
            mesh: demo
            metadata:
              name: shop
            spec:
              selectors:
              - match:
                  kuma.io/service: edge-gateway
              conf:
                http:
                  rules:
                  - matches:
                    - path:
                        match: PREFIX
                        value: /
                    backends:
                    - weight: 1
                      destination:
                        kuma.io/service: shop
            """;

    private TestServer api;

    @BeforeEach
    void startServer() {
        api = TestServer.start();
        api.seed(Fixtures.MESH_DEMO);
    }

    @AfterEach
    void stopServer() {
        api.close();
    }

    @Test
    void putGetListAndDeleteGatewaysAndRoutes() {
        assertThat(api.putYaml("/meshes/demo/meshgateways/edge", GATEWAY).status()).isEqualTo(201);
        Reply route = api.putYaml("/meshes/demo/meshgatewayroutes/shop", ROUTE_K8S);
        assertThat(route.status()).as(route.toString()).isEqualTo(201);

        Reply gateway = api.get("/meshes/demo/meshgateways/edge");
        assertThat(gateway.status()).isEqualTo(200);
        assertThat(gateway.json().path("type").asText()).isEqualTo("MeshGateway");
        assertThat(gateway.json().path("conf").path("listeners").get(0).path("protocol").asText()).isEqualTo("HTTP");
        assertThat(gateway.json().path("conf").path("listeners").get(0).has("crossMesh")).isFalse();
        assertThat(api.get("/meshes/demo/meshgatewayroutes/shop").json().path("conf").path("http").path("rules")
                .get(0).path("matches").get(0).path("path").path("match").asText()).isEqualTo("PREFIX");

        assertThat(api.get("/meshes/demo/meshgateways").items("name")).containsExactly("edge");
        assertThat(api.get("/meshgatewayroutes").items("name")).containsExactly("shop");

        assertThat(api.delete("/meshes/demo/meshgateways/edge").status()).isEqualTo(200);
        assertThat(api.get("/meshes/demo/meshgateways/edge").status()).isEqualTo(404);
        assertThat(api.get("/meshes/demo/meshgateways").items("name")).isEmpty();
    }

    @Test
    void anInvalidGatewayIs400NamingTheField() {
        Reply reply = api.putYaml("/meshes/demo/meshgateways/edge", GATEWAY.replace("8080", "0")
                .replace("    protocol: HTTP\n", "    protocol: HTTPS\n    crossMesh: true\n"));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.json().path("title").asText()).isEqualTo("Could not create a resource");
        assertThat(reply.json().path("details").asText()).isEqualTo("Resource is not valid");
        assertThat(reply.causes()).containsExactly(
                "conf.listeners[0].port: port must be in the range [1, 65535]",
                "conf.listeners[0].protocol: protocol is not supported with crossMesh");
        assertThat(api.get("/meshes/demo/meshgateways/edge").status()).isEqualTo(404);
    }

    @Test
    void aMisspelledNestedFieldIsAWarning() {
        Reply reply = api.putYaml("/meshes/demo/meshgateways/edge", GATEWAY.replace("hostname:", "hostnme:"));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        assertThat(reply.json().path("warnings").get(0).asText())
                .contains("unknown field \"conf.listeners[0].hostnme\" (did you mean \"hostname\"?)");
        assertThat(reply.header("Warning")).isPresent();
    }

    @Test
    void meshInsightCountsGatewaysAndRoutesAsPolicies() {
        api.putYaml("/meshes/demo/meshgateways/edge", GATEWAY);
        api.putYaml("/meshes/demo/meshgateways/edge-2", GATEWAY.replace("name: edge", "name: edge-2"));
        api.putYaml("/meshes/demo/meshgatewayroutes/shop", ROUTE_K8S);

        var policies = api.get("/mesh-insights/demo").json().path("policies");

        assertThat(policies.path("MeshGateway").path("total").asInt()).isEqualTo(2);
        assertThat(policies.path("MeshGatewayRoute").path("total").asInt()).isEqualTo(1);
    }
}
