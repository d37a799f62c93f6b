package io.ursa.grpcxds.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.Any;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.ApiListener;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.CallOptions;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerServiceDefinition;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.xds.XdsCredentialsProvider;
import io.grpc.xds.XdsNameResolverProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real grpc-xds client ({@code xds:///backend}) whose bootstrap names {@code tls} channel credentials, against a TLS
 * ADS server (java-control-plane) that serves the minimal listener, route, cluster and endpoints of a plaintext
 * backend: the xDS channel comes up only when the CA file of the bootstrap signs the server's certificate.
 */
class TlsXdsCredentialsProviderTest {
    private static final MethodDescriptor<String, String> WHO = MethodDescriptor.<String, String>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName("ursa.test.Echo", "Who"))
            .setRequestMarshaller(new Utf8())
            .setResponseMarshaller(new Utf8())
            .build();

    @TempDir
    Path dir;

    private final TestTls.Ca cpCa = TestTls.Ca.create("Ursa Control Plane CA");
    private final List<DiscoveryRequest> requests = new CopyOnWriteArrayList<>();
    private final List<ManagedChannel> channels = new ArrayList<>();
    private Server backend;
    private Server ads;

    @BeforeEach
    void startBackend() throws IOException {
        backend = NettyServerBuilder.forAddress(loopback(), InsecureServerCredentials.create())
                .addService(ServerServiceDefinition.builder("ursa.test.Echo")
                        .addMethod(WHO, ServerCalls.asyncUnaryCall((request, response) -> {
                            response.onNext("backend");
                            response.onCompleted();
                        }))
                        .build())
                .build()
                .start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        channels.forEach(ManagedChannel::shutdownNow);
        for (Server server : new Server[] {ads, backend}) {
            if (server != null) {
                server.shutdownNow();
                server.awaitTermination(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void isRegisteredAboveGrpcsOwnTlsProvider() {
        assertThat(ServiceLoader.load(XdsCredentialsProvider.class).stream().map(ServiceLoader.Provider::type))
                .contains(TlsXdsCredentialsProvider.class, io.grpc.xds.internal.TlsXdsCredentialsProvider.class);
        assertThat(new TlsXdsCredentialsProvider().priority())
                .isGreaterThan(new io.grpc.xds.internal.TlsXdsCredentialsProvider().priority());
    }

    @Test
    void connectsToAnXdsServerThatTheCaFileSigns() throws IOException {
        startAds(cpCa.server("127.0.0.1").serverCredentials());

        String answer = call(Map.of("ca_certificate_file", write("cp-ca.pem", cpCa.pem())));

        assertThat(answer).isEqualTo("backend");
        assertThat(requests).isNotEmpty().allSatisfy(request ->
                assertThat(request.getNode().getId()).isEqualTo("default.backend-1"));
    }

    @Test
    void refusesAnXdsServerThatTheCaFileDoesNotSign() throws IOException {
        startAds(TestTls.Ca.create("Someone Else").server("127.0.0.1").serverCredentials());

        StatusRuntimeException error = failedCall(Map.of("ca_certificate_file", write("cp-ca.pem", cpCa.pem())));

        assertThat(messages(error)).contains("unable to find valid certification path");
        assertThat(requests).isEmpty();
    }

    @Test
    void usesTheDefaultTrustStoreWithoutACaFile() throws IOException {
        startAds(cpCa.server("127.0.0.1").serverCredentials());

        StatusRuntimeException error = failedCall(Map.of());

        assertThat(messages(error)).contains("unable to find valid certification path");
        assertThat(requests).isEmpty();
    }

    @Test
    void withoutACaFileTrustsWhatTheJvmTrustStoreHolds() throws Exception {
        startAds(cpCa.server("127.0.0.1").serverCredentials());
        Path trustStore = dir.resolve("trust.p12");
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("cp", cpCa.certificate());
        try (OutputStream out = Files.newOutputStream(trustStore)) {
            store.store(out, "changeit".toCharArray());
        }
        Map<String, String> settings = Map.of("javax.net.ssl.trustStore", trustStore.toString(),
                "javax.net.ssl.trustStorePassword", "changeit", "javax.net.ssl.trustStoreType", "PKCS12");
        Map<String, String> previous = new HashMap<>();
        settings.keySet().forEach(key -> previous.put(key, System.getProperty(key)));
        settings.forEach(System::setProperty);
        try {
            assertThat(call(Map.of())).isEqualTo("backend");
        } finally {
            previous.forEach((key, value) -> {
                if (value == null) {
                    System.clearProperty(key);
                } else {
                    System.setProperty(key, value);
                }
            });
        }
    }

    @Test
    void presentsTheClientCertificateForMutualTls() throws IOException {
        TestTls.Ca clientCa = TestTls.Ca.create("Clients");
        TestTls.Leaf client = clientCa.client("backend-1");
        startAds(cpCa.server("127.0.0.1").serverCredentialsRequiring(clientCa));
        String caFile = write("cp-ca.pem", cpCa.pem());

        StatusRuntimeException anonymous = failedCall(Map.of("ca_certificate_file", caFile));
        assertThat(requests).isEmpty();
        String answer = call(Map.of("ca_certificate_file", caFile,
                "certificate_file", write("cert.pem", client.chainPem()),
                "private_key_file", write("key.pem", client.keyPem())));

        assertThat(anonymous.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE);
        assertThat(answer).isEqualTo("backend");
        assertThat(requests).isNotEmpty();
    }

    @Test
    void namesAFileItCannotRead() throws IOException {
        startAds(cpCa.server("127.0.0.1").serverCredentials());
        Path missing = dir.resolve("missing.pem");
        String garbage = write("garbage.pem", "not a certificate");

        assertThat(messages(failedCall(Map.of("ca_certificate_file", missing.toString()))))
                .contains("cannot read tls channel_creds ca_certificate_file " + missing + ": it does not exist");
        assertThat(messages(failedCall(Map.of("ca_certificate_file", garbage))))
                .contains("invalid tls channel_creds ca_certificate_file " + garbage);
        assertThat(messages(failedCall(Map.of("certificate_file", garbage))))
                .contains("invalid tls channel_creds: certificate_file without private_key_file (expected: both,"
                        + " for mTLS, or neither)");
        assertThat(requests).isEmpty();
    }

    private void startAds(ServerCredentials credentials) throws IOException {
        SimpleCache<String> cache = new SimpleCache<>(node -> "default");
        cache.setSnapshot("default", snapshot(backend.getPort()));
        V3DiscoveryServer xds = new V3DiscoveryServer(new DiscoveryServerCallbacks() {
            @Override
            public void onV3StreamRequest(long streamId, DiscoveryRequest request) {
                requests.add(request);
            }

            @Override
            public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) {
            }
        }, cache);
        ads = NettyServerBuilder.forAddress(loopback(), credentials)
                .addService(xds.getAggregatedDiscoveryServiceImpl())
                .build()
                .start();
    }

    /** A call to {@code xds:///backend} through a channel whose bootstrap has {@code tls} creds with {@code config}. */
    private String call(Map<String, String> config) {
        ManagedChannel channel = NettyChannelBuilder.forTarget("xds:///backend", InsecureChannelCredentials.create())
                .nameResolverFactory(XdsNameResolverProvider.createForTest("xds", bootstrap(config)))
                .build();
        channels.add(channel);
        return ClientCalls.blockingUnaryCall(channel, WHO, CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS),
                "who");
    }

    private StatusRuntimeException failedCall(Map<String, String> config) {
        return catchThrowableOfType(StatusRuntimeException.class, () -> call(config));
    }

    private Map<String, ?> bootstrap(Map<String, String> config) {
        Map<String, Object> creds = new LinkedHashMap<>();
        creds.put("type", "tls");
        if (!config.isEmpty()) {
            creds.put("config", config);
        }
        return Map.of(
                "xds_servers", List.of(Map.of("server_uri", "127.0.0.1:" + ads.getPort(),
                        "channel_creds", List.of(creds), "server_features", List.of("xds_v3"))),
                "node", Map.of("id", "default.backend-1", "cluster", "backend"));
    }

    private String write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content).toString();
    }

    /** The status and every cause, as one text. */
    private static String messages(StatusRuntimeException error) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause()) {
            text.append(t).append('\n');
        }
        return text.toString();
    }

    /** The listener, route, cluster and endpoints that send {@code xds:///backend} to 127.0.0.1:{@code port}. */
    private static Snapshot snapshot(int port) {
        ConfigSource ads = ConfigSource.newBuilder().setAds(AggregatedConfigSource.getDefaultInstance())
                .setResourceApiVersion(ApiVersion.V3).build();
        HttpConnectionManager manager = HttpConnectionManager.newBuilder()
                .setRds(Rds.newBuilder().setConfigSource(ads).setRouteConfigName("backend-route"))
                .addHttpFilters(HttpFilter.newBuilder().setName("envoy.filters.http.router")
                        .setTypedConfig(Any.pack(Router.getDefaultInstance())))
                .build();
        Listener listener = Listener.newBuilder().setName("backend")
                .setApiListener(ApiListener.newBuilder().setApiListener(Any.pack(manager))).build();
        RouteConfiguration route = RouteConfiguration.newBuilder().setName("backend-route")
                .addVirtualHosts(VirtualHost.newBuilder().setName("backend").addDomains("*")
                        .addRoutes(Route.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix(""))
                                .setRoute(RouteAction.newBuilder().setCluster("backend-cluster"))))
                .build();
        Cluster cluster = Cluster.newBuilder().setName("backend-cluster")
                .setType(Cluster.DiscoveryType.EDS)
                .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setEdsConfig(ads)
                        .setServiceName("backend-cla"))
                .setLbPolicy(Cluster.LbPolicy.ROUND_ROBIN)
                .build();
        ClusterLoadAssignment endpoints = ClusterLoadAssignment.newBuilder().setClusterName("backend-cla")
                .addEndpoints(LocalityLbEndpoints.newBuilder()
                        .setLocality(Locality.newBuilder().setZone("z1"))
                        .setLoadBalancingWeight(com.google.protobuf.UInt32Value.of(1))
                        .addLbEndpoints(LbEndpoint.newBuilder().setEndpoint(Endpoint.newBuilder()
                                .setAddress(Address.newBuilder().setSocketAddress(SocketAddress.newBuilder()
                                        .setAddress("127.0.0.1").setPortValue(port))))))
                .build();
        return Snapshot.create(List.of(cluster), List.of(endpoints), List.of(listener), List.of(route), List.of(),
                "1");
    }

    private static InetSocketAddress loopback() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    private static final class Utf8 implements MethodDescriptor.Marshaller<String> {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
