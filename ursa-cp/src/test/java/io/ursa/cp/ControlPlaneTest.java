package io.ursa.cp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The composition root in-process: what a fresh start gives and what the diagnostics port serves. */
class ControlPlaneTest {
    private static final String LDS = "type.googleapis.com/envoy.config.listener.v3.Listener";
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
    void inspectsADataplaneItsServedConfigurationAndItsNackThroughTheXdsServer(@TempDir Path dir) throws Exception {
        try (ControlPlane cp = ControlPlane.start(null, env(dir, "URSA_STORE_TYPE", "memory",
                "URSA_DP_SERVER_AUTH_TYPE", "none"))) {
            ResourceCodec codec = new ResourceCodec(ResourceTypes.standard());
            Resource<?> web = codec.decode(codec.parseYamlDocuments("""
                    type: Dataplane
                    mesh: default
                    name: web-1
                    networking:
                      address: 10.0.0.1
                      inbound:
                      - port: 8080
                        tags: {kuma.io/service: web}
                    """).get(0));
            upsert(cp, web);
            String api = "http://127.0.0.1:" + cp.apiPort() + "/meshes/default/dataplanes/web-1";

            // The default policies match it from the store, before any proxy connects.
            HttpResponse<String> policies = get(api + "/policies");
            assertThat(policies.statusCode()).isEqualTo(200);
            assertThat(policies.body()).contains("\"name\":\"10.0.0.1:8080:8080\"")
                    .contains("\"allow-all-default\"");
            HttpResponse<String> notConnected = get(api + "/xds");
            assertThat(notConnected.statusCode()).isEqualTo(404);
            assertThat(notConnected.body()).contains("is not connected to this control plane");

            ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", cp.dpServerPort()).usePlaintext()
                    .build();
            try {
                BlockingQueue<DiscoveryResponse> responses = new LinkedBlockingQueue<>();
                Node node = Node.newBuilder().setId("default.web-1").build();
                StreamObserver<DiscoveryRequest> requests = AggregatedDiscoveryServiceGrpc.newStub(channel)
                        .streamAggregatedResources(collect(responses));
                requests.onNext(DiscoveryRequest.newBuilder().setNode(node).setTypeUrl(LDS).build());
                DiscoveryResponse listeners = responses.poll(10, TimeUnit.SECONDS);
                assertThat(listeners).as("an LDS response").isNotNull();

                HttpResponse<String> served = get(api + "/xds");
                assertThat(served.statusCode()).isEqualTo(200);
                assertThat(served.body()).contains("\"nodeId\":\"default.web-1\"")
                        .contains("\"" + LDS + "\":\"" + listeners.getVersionInfo() + "\"")
                        .contains("inbound:10.0.0.1:8080");

                // A NACK shows in the Dataplane's insight.
                requests.onNext(DiscoveryRequest.newBuilder().setNode(node).setTypeUrl(LDS)
                        .setVersionInfo("").setResponseNonce(listeners.getNonce())
                        .setErrorDetail(com.google.rpc.Status.newBuilder().setCode(3)
                                .setMessage("Invalid listener: port already in use")).build());
                String overview = "http://127.0.0.1:" + cp.apiPort() + "/meshes/default/dataplanes+insights/web-1";
                await().atMost(Duration.ofSeconds(10)).until(() -> get(overview).body()
                        .contains("\"error\":\"Invalid listener: port already in use\""));
            } finally {
                channel.shutdownNow();
            }
        }
    }

    private static StreamObserver<DiscoveryResponse> collect(BlockingQueue<DiscoveryResponse> responses) {
        return new StreamObserver<>() {
            @Override
            public void onNext(DiscoveryResponse response) {
                responses.add(response);
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        };
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void upsert(ControlPlane cp, Resource resource) {
        cp.manager().upsert(resource.type(), resource.mesh(), resource.name(), resource.spec(), OptionalLong.empty());
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

    @Test
    void aNegativeNumberOfGenerationThreadsIsAClearStartupError(@TempDir Path dir) {
        assertThatThrownBy(() -> ControlPlane.start(null, env(dir, "URSA_STORE_TYPE", "memory",
                "URSA_XDS_SERVER_GENERATION_THREADS", "-2")))
                .hasMessageContaining("invalid xdsServer.generationThreads: -2 (expected: 0 for one per core, or a"
                        + " positive number of threads)");
    }
}
