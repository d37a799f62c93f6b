package io.ursa.xds.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.inspect.PolicyMatches;
import io.ursa.xds.testing.GoldenFiles;
import io.ursa.xds.testing.XdsFixtures;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Kuma's inspection shapes for builtin gateways, from the generator's own matching. */
class GatewayInspectionTest {
    private static final Path FOLDER = XdsFixtures.TESTDATA.resolve("gateway-inspect");

    @Test
    void theDataplanePoliciesOfABuiltinGatewayAreKumasMeshGatewayDataplaneAnswer() {
        ProxyContext proxy = GatewayGeneratorTest.proxy("full");

        JsonNode answer = PolicyMatches.json(proxy, XdsFixtures.CODEC);

        assertThat(answer.path("kind").asText()).isEqualTo("MeshGatewayDataplane");
        assertThat(answer.path("gateway").toString()).isEqualTo("{\"mesh\":\"default\",\"name\":\"edge-gateway\"}");
        GoldenFiles.assertMatches(FOLDER.resolve("full-policies.golden.yaml"), scrubbed(answer));
    }

    @Test
    void listsTheGatewayDataplanesAMeshGatewayConfiguresAndThoseARouteReaches() {
        ProxyContext proxy = GatewayGeneratorTest.proxy("full");

        assertThat(GatewayInspection.gatewayDataplanes(proxy.mesh(), "edge-gateway").toString())
                .isEqualTo("{\"total\":1,\"items\":[{\"dataplane\":{\"mesh\":\"default\",\"name\":\"edge-1\"}}]}");
        assertThat(GatewayInspection.gatewayDataplanes(proxy.mesh(), "other").path("total").asInt()).isZero();
        assertThat(GatewayInspection.routeDataplanes(proxy.mesh(), "tcp-db").path("items").size()).isEqualTo(1);
        assertThat(GatewayInspection.routeDataplanes(proxy.mesh(), "route-all-default").path("total").asInt())
                .isZero();
    }

    @Test
    void aRouteWhoseHostnamesNoListenerServesReachesNoDataplane() {
        String yaml = XdsFixtures.read(XdsFixtures.TESTDATA.resolve("gateway/full.input.yaml"))
                .replace("hostnames: [api.example.com]", "hostnames: [nowhere.example.com]");
        ProxyContext proxy = XdsFixtures.firstProxy(yaml, "route to no host");

        assertThat(GatewayInspection.routeDataplanes(proxy.mesh(), "https-api").path("total").asInt()).isZero();
        assertThat(GatewayInspection.routeDataplanes(proxy.mesh(), "http-every-match").path("total").asInt())
                .isEqualTo(1);
    }

    /** The answer without the policies' creation times, which the store sets. */
    private static JsonNode scrubbed(JsonNode answer) {
        JsonNode copy = answer.deepCopy();
        copy.findParents("creationTime").forEach(p -> ((com.fasterxml.jackson.databind.node.ObjectNode) p)
                .remove(java.util.List.of("creationTime", "modificationTime")));
        return copy;
    }
}
