package io.ursa.cp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ursa.api.resource.ResourceTypes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The composition root in-process: what a fresh start gives and what the diagnostics port serves. */
class ControlPlaneTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private static Map<String, String> env(Path dir, String... extra) {
        var env = new java.util.HashMap<String, String>(Map.of(
                "URSA_API_SERVER_HTTP_PORT", "0",
                "URSA_DIAGNOSTICS_SERVER_PORT", "0",
                "URSA_DP_SERVER_PORT", "0",
                "URSA_STORE_EMBEDDED_DIR", dir.toString()));
        for (int i = 0; i < extra.length; i += 2) {
            env.put(extra[i], extra[i + 1]);
        }
        return env;
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void freshStartCreatesMeshDefaultAndServesReadyAndMetrics(@TempDir Path dir) throws Exception {
        try (ControlPlane cp = ControlPlane.start(null, env(dir))) {
            assertThat(cp.manager().get(ResourceTypes.MESH, "", "default")).isPresent();
            assertThat(cp.manager().get(ResourceTypes.TRAFFIC_PERMISSION, "default", "allow-all-default")).isPresent();

            String diag = "http://127.0.0.1:" + cp.diagnosticsPort();
            assertThat(get(diag + "/ready").statusCode()).isEqualTo(200);
            HttpResponse<String> metrics = get(diag + "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("ursa_resources{type=\"Mesh\"} 1.0")
                    .contains("jvm_memory_used_bytes");

            HttpResponse<String> index = get("http://127.0.0.1:" + cp.apiPort() + "/");
            assertThat(index.statusCode()).isEqualTo(200);
            assertThat(index.body()).contains("\"tagline\"");
            assertThat(get("http://127.0.0.1:" + cp.apiPort() + "/meshes/nope").statusCode()).isEqualTo(404);
            assertThat(get(diag + "/metrics").body())
                    .contains("ursa_api_requests_seconds_count{method=\"GET\",route=\"/meshes/{name}\",status=\"404\"} 1");
        }
    }

    @Test
    void skipMeshCreationStartsEmpty(@TempDir Path dir) throws Exception {
        try (ControlPlane cp = ControlPlane.start(null, env(dir, "URSA_DEFAULTS_SKIP_MESH_CREATION", "true"))) {
            assertThat(cp.manager().get(ResourceTypes.MESH, "", "default")).isEmpty();
        }
    }

    @Test
    void embeddedStoreKeepsResourcesAcrossRestarts(@TempDir Path dir) throws Exception {
        try (ControlPlane cp = ControlPlane.start(null, env(dir))) {
            cp.manager().delete(ResourceTypes.TRAFFIC_ROUTE, "default", "route-all-default");
        }
        try (ControlPlane cp = ControlPlane.start(null, env(dir))) {
            assertThat(cp.manager().get(ResourceTypes.MESH, "", "default")).isPresent();
            assertThat(cp.manager().get(ResourceTypes.TRAFFIC_ROUTE, "default", "route-all-default")).isEmpty();
        }
    }

    @Test
    void memoryStoreForgetsOnRestart(@TempDir Path dir) throws Exception {
        try (ControlPlane cp = ControlPlane.start(null, env(dir, "URSA_STORE_TYPE", "memory"))) {
            cp.manager().delete(ResourceTypes.TRAFFIC_ROUTE, "default", "route-all-default");
        }
        try (ControlPlane cp = ControlPlane.start(null, env(dir, "URSA_STORE_TYPE", "memory"))) {
            assertThat(cp.manager().get(ResourceTypes.TRAFFIC_ROUTE, "default", "route-all-default")).isPresent();
        }
    }

    @Test
    void aSecondControlPlaneOnTheSameStoreIsRefusedClearly(@TempDir Path dir) {
        try (ControlPlane cp = ControlPlane.start(null, env(dir))) {
            assertThatThrownBy(() -> ControlPlane.start(null, env(dir)))
                    .isInstanceOf(ControlPlane.StartupException.class)
                    .hasMessageContaining(dir.toString());
        }
    }

    @Test
    void aPortInUseIsAClearStartupError(@TempDir Path dir) throws Exception {
        try (var socket = new java.net.ServerSocket(0)) {
            assertThatThrownBy(() -> ControlPlane.start(null,
                    env(dir, "URSA_API_SERVER_HTTP_PORT", Integer.toString(socket.getLocalPort()))))
                    .isInstanceOf(ControlPlane.StartupException.class)
                    .hasMessageContaining(Integer.toString(socket.getLocalPort()));
        }
    }
}
