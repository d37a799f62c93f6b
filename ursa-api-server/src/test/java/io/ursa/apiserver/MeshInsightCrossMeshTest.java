package io.ursa.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code crossMesh} of a MeshInsight through the REST API: which meshes reach a mesh's cross-mesh MeshGateway
 * listeners, and which listeners of other meshes a mesh reaches; nothing for a mesh with mTLS off.
 */
class MeshInsightCrossMeshTest {
    private static final String MESHES = """
            type: Mesh
            name: alpha
            skipCreatingInitialPolicies: ["*"]
            mtls: {enabledBackend: ca-1, backends: [{name: ca-1, type: builtin}]}
            ---
            type: Mesh
            name: beta
            skipCreatingInitialPolicies: ["*"]
            mtls: {enabledBackend: ca-1, backends: [{name: ca-1, type: builtin}]}
            ---
            type: Mesh
            name: plain
            skipCreatingInitialPolicies: ["*"]
            """;
    private static final String PUBLIC = "{port: 80, protocol: HTTP, hostname: public.alpha.test}";

    private TestServer api;

    @BeforeEach
    void startServer() {
        api = TestServer.start();
        api.seed(MESHES);
        api.seed(gateway(PUBLIC, "{port: 8080, protocol: HTTP, hostname: edge.alpha.test, crossMesh: true}",
                "{port: 9090, protocol: HTTP, crossMesh: true}"));
    }

    @AfterEach
    void stopServer() {
        api.close();
    }

    @Test
    void theGatewayMeshListsItsCrossMeshListenersAndTheMeshesThatReachThem() {
        JsonNode crossMesh = insight("alpha").path("crossMesh");

        assertThat(crossMesh.path("offered").toString()).isEqualTo("""
                [{"gateway":"edge","hostname":"edge.alpha.test","port":8080,"reachableFrom":["beta"]},\
                {"gateway":"edge","hostname":"internal.edge.alpha.mesh","port":9090,"reachableFrom":["beta"]}]""");
        assertThat(crossMesh.path("reaches").isEmpty()).isTrue();
    }

    @Test
    void anotherMeshWithMtlsListsTheListenersItReachesAndOneWithMtlsOffHasNoCrossMesh() {
        assertThat(insight("beta").path("crossMesh").path("reaches").toString()).isEqualTo("""
                [{"mesh":"alpha","gateway":"edge","hostname":"edge.alpha.test","port":8080},\
                {"mesh":"alpha","gateway":"edge","hostname":"internal.edge.alpha.mesh","port":9090}]""");
        assertThat(insight("beta").path("crossMesh").path("offered").isEmpty()).isTrue();
        assertThat(insight("plain").has("crossMesh")).isFalse();
    }

    @Test
    void withoutCrossMeshListenersNoMeshShowsCrossMesh() {
        api.seed(gateway(PUBLIC));

        assertThat(insight("alpha").has("crossMesh")).isFalse();
        assertThat(insight("beta").has("crossMesh")).isFalse();
    }

    /** The MeshGateway edge of mesh alpha with {@code listeners} (flow-style YAML maps). */
    private static String gateway(String... listeners) {
        return "type: MeshGateway\nmesh: alpha\nname: edge\nselectors: [{match: {kuma.io/service: edge-gateway}}]\n"
                + "conf:\n  listeners:\n" + String.join("", java.util.Arrays.stream(listeners)
                .map(l -> "  - " + l + "\n").toList());
    }

    private JsonNode insight(String mesh) {
        Reply reply = api.get("/mesh-insights/" + mesh);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json();
    }
}
