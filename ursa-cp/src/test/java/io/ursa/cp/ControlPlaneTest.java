package io.ursa.cp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.ca.controlplane.ControlPlaneCertificates;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
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
                    .contains("jvm_memory_used_bytes").contains("ursa_proxy_keys_ready 0.0")
                    .contains("ursa_proxy_keys_generated_on_demand_total 0.0");

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

            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", cp.dpServerPort())
                    .sslContext(GrpcSslContexts.forClient().trustManager(new ByteArrayInputStream(
                            cp.dpServerCertificate().caCertificatePem().getBytes(StandardCharsets.US_ASCII))).build())
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
        // every port is picked by the system, so only the store is shared
        try (ControlPlane cp = ControlPlane.start(null, env(dir, "URSA_API_SERVER_HTTPS_PORT", "0"))) {
            assertThatThrownBy(() -> ControlPlane.start(null, env(dir, "URSA_API_SERVER_HTTPS_PORT", "0")))
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
                    .hasMessageContaining(Integer.toString(socket.getLocalPort()))
                    .hasMessageContaining("URSA_API_SERVER_HTTP_PORT");
            try (var entries = Files.list(dir)) {
                assertThat(entries).as("refused before the store was opened").isEmpty();
            }
        }
    }

    @Test
    void theDpServerSpeaksTlsWithItsOwnCertificateWhichARestartKeeps(@TempDir Path dir) throws Exception {
        String chain;
        try (ControlPlane cp = ControlPlane.start(null, env(dir))) {
            ControlPlaneCertificates.Material certificate = cp.dpServerCertificate();
            assertThat(certificate.source()).isEqualTo(ControlPlaneCertificates.Source.CREATED);
            assertThat(certificate).isEqualTo(cp.certificate());
            assertThat(certificate.subjectAltNames()).contains("localhost", "127.0.0.1", "::1");
            assertThat(cp.manager().get(ResourceTypes.GLOBAL_SECRET, "", "control-plane-ca-cert")).isPresent();
            assertThat(bootstrapOverTls(cp).statusCode()).as("a TLS answer from /bootstrap").isEqualTo(422);
            chain = certificate.certificateChainPem();
        }
        try (ControlPlane cp = ControlPlane.start(null, env(dir))) {
            assertThat(cp.dpServerCertificate().source()).isEqualTo(ControlPlaneCertificates.Source.REUSED);
            assertThat(cp.dpServerCertificate().certificateChainPem()).isEqualTo(chain);
            assertThat(bootstrapOverTls(cp).statusCode()).isEqualTo(422);
        }
    }

    @Test
    void theDpServerSpeaksPlaintextOnlyWhenAsked(@TempDir Path dir) throws Exception {
        try (ControlPlane cp = ControlPlane.start(null, env(dir, "URSA_STORE_TYPE", "memory",
                "URSA_DP_SERVER_PLAINTEXT", "true"))) {
            HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                    .send(bootstrapRequest("http", cp), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(422);
            assertThat(response.body()).startsWith("Dataplane Token is required");
        }
    }

    @Test
    void servesASuppliedCertificate(@TempDir Path dir) throws Exception {
        ControlPlaneCertificates.Material own;
        try (ControlPlane cp = ControlPlane.start(null, env(dir, "URSA_STORE_TYPE", "memory"))) {
            own = cp.certificate();
        }
        Path cert = Files.writeString(dir.resolve("cert.pem"), own.certificateChainPem());
        Path key = Files.writeString(dir.resolve("key.pem"), own.privateKeyPem());

        try (ControlPlane cp = ControlPlane.start(null, env(dir, "URSA_STORE_TYPE", "memory",
                "URSA_GENERAL_TLS_CERT_FILE", cert.toString(), "URSA_GENERAL_TLS_KEY_FILE", key.toString()))) {
            assertThat(cp.dpServerCertificate().source()).isEqualTo(ControlPlaneCertificates.Source.SUPPLIED);
            assertThat(cp.dpServerCertificate().caFingerprint()).isEqualTo(own.caFingerprint());
            assertThat(cp.manager().get(ResourceTypes.GLOBAL_SECRET, "", "control-plane-ca-cert"))
                    .as("no CA of its own").isEmpty();
            assertThat(bootstrapOverTls(cp).statusCode()).isEqualTo(422);
        }
    }

    @Test
    void aCertificateFileWithoutItsKeyIsAClearStartupError(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> ControlPlane.start(null, env(dir, "URSA_STORE_TYPE", "memory",
                "URSA_GENERAL_TLS_CERT_FILE", "/etc/ursa/cert.pem")))
                .isInstanceOf(ControlPlane.StartupException.class)
                .hasMessage("general.tlsCertFile is set but general.tlsKeyFile (URSA_GENERAL_TLS_KEY_FILE) is not"
                        + " (expected: both, for a supplied certificate, or neither)");
        assertThatThrownBy(() -> ControlPlane.start(null, env(dir, "URSA_STORE_TYPE", "memory",
                "URSA_DP_SERVER_TLS_KEY_FILE", "/etc/ursa/key.pem")))
                .isInstanceOf(ControlPlane.StartupException.class)
                .hasMessageContaining("dpServer.tlsKeyFile is set but dpServer.tlsCertFile"
                        + " (URSA_DP_SERVER_TLS_CERT_FILE) is not");
    }

    @Test
    void aKeyThatIsNotTheCertificatesIsAClearStartupError(@TempDir Path dir) throws Exception {
        ControlPlaneCertificates.Material first;
        ControlPlaneCertificates.Material second;
        try (ControlPlane cp = ControlPlane.start(null, env(dir, "URSA_STORE_TYPE", "memory"))) {
            first = cp.certificate();
        }
        try (ControlPlane cp = ControlPlane.start(null, env(dir, "URSA_STORE_TYPE", "memory"))) {
            second = cp.certificate();
        }
        Path cert = Files.writeString(dir.resolve("cert.pem"), first.certificateChainPem());
        Path key = Files.writeString(dir.resolve("key.pem"), second.privateKeyPem());

        assertThatThrownBy(() -> ControlPlane.start(null, env(dir, "URSA_STORE_TYPE", "memory",
                "URSA_GENERAL_TLS_CERT_FILE", cert.toString(), "URSA_GENERAL_TLS_KEY_FILE", key.toString())))
                .isInstanceOf(ControlPlane.StartupException.class)
                .hasMessageContaining("the TLS certificate file " + cert + " and key file " + key
                        + " cannot be used: tls: private key does not match public key");
    }

    private static HttpRequest bootstrapRequest(String scheme, ControlPlane cp) {
        return HttpRequest.newBuilder(URI.create(scheme + "://127.0.0.1:" + cp.dpServerPort() + "/bootstrap"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"mesh\":\"default\",\"name\":\"web-1\"}")).build();
    }

    /** {@code POST /bootstrap} over TLS, trusting only the DP server's CA; 422: no token. */
    private static HttpResponse<String> bootstrapOverTls(ControlPlane cp) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(cp.dpServerCertificate().caCertificatePem()
                        .getBytes(StandardCharsets.US_ASCII))));
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trustManagers.getTrustManagers(), null);
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(tls).build()
                .send(bootstrapRequest("https", cp), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aNegativeNumberOfGenerationThreadsIsAClearStartupError(@TempDir Path dir) {
        assertThatThrownBy(() -> ControlPlane.start(null, env(dir, "URSA_STORE_TYPE", "memory",
                "URSA_XDS_SERVER_GENERATION_THREADS", "-2")))
                .hasMessageContaining("invalid xdsServer.generationThreads: -2 (expected: 0 for one per core, or a"
                        + " positive number of threads)");
    }
}
