package io.ursa.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.testing.bodies.ResourceTemplates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * MeshGateway and MeshGatewayRoute over REST: the CRUD paths come from the type registry, both forms are accepted,
 * an invalid one is refused with Kuma's error JSON naming the field, and mesh insights count them as policies.
 */
class GatewayEndpointsTest {
    private static final ResourceCodec CODEC = new ResourceCodec(ResourceTypes.standard());
    private static final ResourceTemplates TEMPLATES = new ResourceTemplates(CODEC);

    private final TestServer api = TestServer.start();

    @AfterEach
    void stopServer() {
        api.close();
    }

    @Test
    void putGetListAndDeleteGatewaysAndRoutes() {
        api.seed(Fixtures.MESH_DEMO);
        assertThat(api.putJson("/meshes/demo/meshgateways/edge", CODEC.writeJson(gateway("edge"))).status())
                .isEqualTo(201);
        Reply route = api.putYaml("/meshes/demo/meshgatewayroutes/shop", routeInKubernetesForm());
        assertThat(route.status()).as(route.toString()).isEqualTo(201);

        Reply gateway = api.get("/meshes/demo/meshgateways/edge");
        assertThat(gateway.status()).isEqualTo(200);
        assertThat(gateway.json().path("type").asText()).isEqualTo("MeshGateway");
        assertThat(gateway.json().at("/conf/listeners/0/protocol").asText()).isEqualTo("HTTPS");
        assertThat(gateway.json().at("/conf/listeners/0").has("crossMesh")).as("false is left out").isFalse();
        assertThat(api.get("/meshes/demo/meshgatewayroutes/shop").json()
                .at("/conf/http/rules/0/matches/0/path/match").asText()).isEqualTo("PREFIX");

        assertThat(api.get("/meshes/demo/meshgateways").items("name")).containsExactly("edge");
        assertThat(api.get("/meshgatewayroutes").items("name")).containsExactly("shop");

        assertThat(api.delete("/meshes/demo/meshgateways/edge").status()).isEqualTo(200);
        assertThat(api.get("/meshes/demo/meshgateways/edge").status()).isEqualTo(404);
        assertThat(api.get("/meshes/demo/meshgateways").items("name")).isEmpty();
    }

    @Test
    void anInvalidGatewayIs400NamingTheField() {
        api.seed(Fixtures.MESH_DEMO);
        ObjectNode gateway = gateway("edge");
        ((ObjectNode) gateway.at("/conf/listeners/0")).put("port", 0).put("crossMesh", true);

        Reply reply = api.putJson("/meshes/demo/meshgateways/edge", CODEC.writeJson(gateway));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.json().path("title").asText()).isEqualTo("Could not create a resource");
        assertThat(reply.json().path("details").asText()).isEqualTo("Resource is not valid");
        assertThat(reply.causes()).containsExactly(
                "conf.listeners[0].port: port must be in the range [1, 65535]",
                "conf.listeners[0].protocol: protocol is not supported with crossMesh",
                "conf.listeners[0].tls: must be empty with crossMesh");
        assertThat(api.get("/meshes/demo/meshgateways/edge").status()).isEqualTo(404);
    }

    @Test
    void aMisspelledNestedFieldIsAWarning() {
        api.seed(Fixtures.MESH_DEMO);
        ObjectNode gateway = gateway("edge");
        ObjectNode listener = (ObjectNode) gateway.at("/conf/listeners/0");
        listener.set("hostnme", listener.remove("hostname"));

        Reply reply = api.putJson("/meshes/demo/meshgateways/edge", CODEC.writeJson(gateway));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        assertThat(reply.json().path("warnings").get(0).asText())
                .contains("unknown field \"conf.listeners[0].hostnme\" (did you mean \"hostname\"?)");
        assertThat(reply.header("Warning")).isPresent();
    }

    @Test
    void meshInsightCountsGatewaysAndRoutesAsPolicies() {
        api.seed(Fixtures.MESH_DEMO);
        api.putJson("/meshes/demo/meshgateways/edge", CODEC.writeJson(gateway("edge")));
        api.putJson("/meshes/demo/meshgateways/edge-2", CODEC.writeJson(gateway("edge-2")));
        api.putYaml("/meshes/demo/meshgatewayroutes/shop", routeInKubernetesForm());

        var policies = api.get("/mesh-insights/demo").json().path("policies");

        assertThat(policies.path("MeshGateway").path("total").asInt()).isEqualTo(2);
        assertThat(policies.path("MeshGatewayRoute").path("total").asInt()).isEqualTo(1);
    }

    /** The MeshGateway template of mesh demo: an HTTPS listener terminating TLS, and a crossMesh HTTP one. */
    private static ObjectNode gateway(String name) {
        return TEMPLATES.universal(ResourceTypes.MESH_GATEWAY, "demo", name);
    }

    /** The MeshGatewayRoute template of mesh demo, named shop, as a Kubernetes manifest. */
    private static String routeInKubernetesForm() {
        return CODEC.writeYaml(CODEC.toKubernetes(CODEC.decode(
                TEMPLATES.universal(ResourceTypes.MESH_GATEWAY_ROUTE, "demo", "shop"))));
    }
}
