package io.ursa.xds.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.resources.EnvoyType;
import io.ursa.xds.resources.ResourceSet;
import io.ursa.xds.resources.Versions;
import io.ursa.xds.testing.GoldenFiles;
import io.ursa.xds.testing.StrictEnvoyProtos;
import io.ursa.xds.testing.XdsFixtures;
import io.ursa.xds.testing.XdsYaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OutboundGeneratorTest {
    private static final Path FOLDER = XdsFixtures.TESTDATA.resolve("outbound");
    private static final String INPUT = ".input.yaml";

    private final OutboundGenerator generator = new OutboundGenerator();

    /** One case per {@code <case>.input.yaml}; adding a case means adding the input and its golden file. */
    static Stream<String> cases() {
        return GoldenFiles.caseNames(FOLDER, INPUT).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesGoldenAndEnvoyProtos(String name) {
        ProxyContext proxy = XdsFixtures.firstProxy(FOLDER.resolve(name + INPUT));
        ResourceSet resources = generator.generate(proxy);

        // The collector cluster a traced connection manager names is the TracingGenerator's.
        StrictEnvoyProtos.check(resources.merge(new TracingGenerator().generate(proxy))
                .merge(new SecretsGenerator().generate(proxy)));
        GoldenFiles.assertMatches(FOLDER.resolve(name + ".golden.yaml"), XdsYaml.toTree(resources));
    }

    @Test
    void coversTheRequiredCases() throws IOException {
        assertThat(cases()).contains("tcp-two-endpoints", "http-default-route", "split-http", "split-tcp",
                "no-endpoints", "two-meshes", "mtls-strict", "mtls-permissive");
    }

    @Test
    void tcpOutboundGetsBothEndpointsAndTheDefaultPolicies() {
        ResourceSet resources = generate("tcp-two-endpoints");

        TcpProxy tcp = unpack(resources.get(Listener.class, "outbound:127.0.0.1:10001").orElseThrow(),
                TcpProxy.class);
        assertThat(tcp.getCluster()).isEqualTo("backend");
        assertThat(tcp.getIdleTimeout().getSeconds()).isEqualTo(3600);
        assertThat(tcp.getMaxConnectAttempts().getValue()).isEqualTo(5);
        Cluster cluster = resources.get(Cluster.class, "backend").orElseThrow();
        assertThat(cluster.getConnectTimeout().getSeconds()).isEqualTo(5);
        assertThat(cluster.getCircuitBreakers().getThresholds(0).getMaxRetries().getValue()).isEqualTo(3);
        ClusterLoadAssignment cla = resources.get(ClusterLoadAssignment.class, "backend").orElseThrow();
        assertThat(cla.getEndpoints(0).getLoadBalancingWeight().getValue()).isEqualTo(1);
        assertThat(cla.getEndpoints(0).getLbEndpointsList())
                .extracting(e -> e.getEndpoint().getAddress().getSocketAddress().getAddress())
                .containsExactly("192.168.0.2", "192.168.0.3");
    }

    @Test
    void httpOutboundRoutesEverythingToItsServiceWithDefaultTimeoutAndRetry() {
        HttpConnectionManager hcm = unpack(generate("http-default-route")
                .get(Listener.class, "outbound:127.0.0.1:10002").orElseThrow(), HttpConnectionManager.class);

        var host = hcm.getRouteConfig().getVirtualHosts(0);
        RouteAction action = host.getRoutes(0).getRoute();
        assertThat(action.getCluster()).isEqualTo("api");
        assertThat(action.getTimeout().getSeconds()).isEqualTo(15);
        assertThat(host.getRetryPolicy().getRetryOn()).isEqualTo(RetryConfigurers.HTTP_DEFAULT_RETRY_ON);
        assertThat(hcm.getStreamIdleTimeout().getSeconds()).isEqualTo(1800);
        assertThat(hcm.getRouteConfig().getRequestHeadersToAdd(0).getHeader().getValue())
                .isEqualTo("&kuma.io/protocol=http&&kuma.io/service=web&&version=v1&");
    }

    @Test
    void httpSplitBecomesWeightedClustersWithTheirOwnEndpoints() {
        ResourceSet resources = generate("split-http");

        HttpConnectionManager hcm = unpack(resources.get(Listener.class, "outbound:127.0.0.1:8000").orElseThrow(),
                HttpConnectionManager.class);
        var weighted = hcm.getRouteConfig().getVirtualHosts(0).getRoutes(0).getRoute().getWeightedClusters();
        assertThat(weighted.getClustersList()).extracting(c -> c.getName() + "=" + c.getWeight().getValue())
                .containsExactly("api-_0_=80", "api-_1_=20");
        assertThat(weighted.getTotalWeight().getValue()).isEqualTo(100);
        assertThat(resources.get(ClusterLoadAssignment.class, "api-_1_").orElseThrow()
                .getEndpoints(0).getLbEndpointsList()).extracting(LbEndpoint::getEndpoint)
                .extracting(e -> e.getAddress().getSocketAddress().getAddress()).containsExactly("192.168.0.6");
        assertThat(resources.get(Cluster.class, "api-_0_").orElseThrow().getLbPolicy())
                .isEqualTo(Cluster.LbPolicy.LEAST_REQUEST);
    }

    @Test
    void tcpSplitBecomesTcpProxyWeightedClusters() {
        TcpProxy tcp = unpack(generate("split-tcp").get(Listener.class, "outbound:127.0.0.1:5432").orElseThrow(),
                TcpProxy.class);

        assertThat(tcp.getWeightedClusters().getClustersList()).extracting(c -> c.getName() + "=" + c.getWeight())
                .containsExactly("db-_0_=80", "db-_1_=20");
    }

    @Test
    void serviceWithoutEndpointsStillHasItsClusterAndAnEmptyLoadAssignment() {
        ResourceSet resources = generate("no-endpoints");

        assertThat(resources.get(Cluster.class, "ghost")).isPresent();
        assertThat(resources.get(ClusterLoadAssignment.class, "ghost").orElseThrow().getEndpointsCount()).isZero();
    }

    @Test
    void proxyGetsOnlyTheEndpointsOfItsOwnMesh() {
        ClusterLoadAssignment cla = generate("two-meshes").get(ClusterLoadAssignment.class, "backend").orElseThrow();

        assertThat(cla.getEndpointsList()).flatExtracting(g -> g.getLbEndpointsList())
                .extracting(e -> e.getEndpoint().getAddress().getSocketAddress().getAddress())
                .containsExactly("10.0.1.1");
    }

    @Test
    void withoutTimeoutPolicyUsesKumasBareDefaults() {
        ResourceSet resources = generate("grpc-ring-hash");

        Cluster cluster = resources.get(Cluster.class, "grpc-api").orElseThrow();
        assertThat(cluster.getConnectTimeout().getSeconds()).isEqualTo(10);
        assertThat(cluster.hasOutlierDetection()).isFalse();
        assertThat(cluster.getLbPolicy()).isEqualTo(Cluster.LbPolicy.RING_HASH);
        assertThat(resources.get(ClusterLoadAssignment.class, "grpc-api").orElseThrow().getEndpointsList())
                .extracting(g -> g.getLocality().getZone()).containsExactly("zone-1", "zone-2");
    }

    @Test
    void doesNotApplyWithoutOutboundsAndClosesTheConnectionsOfAnOutboundNoRouteMatches() {
        ProxyContext backend = XdsFixtures.firstProxy(FOLDER.resolve("tcp-two-endpoints" + INPUT)).mesh()
                .proxy("backend-1").orElseThrow();
        assertThat(generator.generate(backend).isEmpty()).isTrue();

        String noRoutes = XdsFixtures.read(FOLDER.resolve("no-endpoints" + INPUT))
                .replace("type: TrafficRoute", "type: TrafficPermission").replaceAll("conf: \\{destination.*", "");
        ProxyContext proxy = proxyOf(noRoutes);
        ResourceSet unrouted = generator.generate(proxy);
        assertThat(unrouted.byName(EnvoyType.LISTENER).values()).singleElement()
                .satisfies(l -> assertThat(((Listener) l).getFilterChainsList())
                        .containsExactly(io.envoyproxy.envoy.config.listener.v3.FilterChain.getDefaultInstance()));
        assertThat(unrouted.byName(EnvoyType.CLUSTER)).isEmpty();
    }

    @Test
    void strictMtlsClustersSpeakMeshTlsWithTheSniOfTheirTagsAndExpectTheServiceSpiffeId() throws Exception {
        ResourceSet resources = generate("mtls-strict");

        Cluster split = resources.get(Cluster.class, "api-_0_").orElseThrow();
        UpstreamTlsContext tls = split.getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class);
        assertThat(split.getTransportSocket().getName()).isEqualTo("envoy.transport_sockets.tls");
        assertThat(tls.getSni()).isEqualTo("api{mesh=default,version=v1}");
        assertThat(tls.getCommonTlsContext().getAlpnProtocolsList()).containsExactly("kuma");
        assertThat(tls.getCommonTlsContext().getTlsCertificateSdsSecretConfigs(0).getName())
                .isEqualTo("identity_cert:secret:default");
        var validation = tls.getCommonTlsContext().getCombinedValidationContext();
        assertThat(validation.getValidationContextSdsSecretConfig().getName()).isEqualTo("mesh_ca:secret:default");
        assertThat(validation.getDefaultValidationContext().getMatchTypedSubjectAltNamesList())
                .extracting(m -> m.getSanType().name(), m -> m.getMatcher().getExact())
                .containsExactly(tuple("URI", "spiffe://default/api"));
        assertThat(split.getTransportSocketMatchesList()).isEmpty();
        assertThat(resources.get(Cluster.class, "db").orElseThrow().getTransportSocket().getTypedConfig()
                .unpack(UpstreamTlsContext.class).getSni()).isEqualTo("db{mesh=default}");
    }

    @Test
    void permissiveMtlsClustersSendPlaintext() {
        assertThat(generate("mtls-permissive").resources(Cluster.class))
                .isNotEmpty()
                .allSatisfy(cluster -> assertThat(cluster.hasTransportSocket()).isFalse());
    }

    @Test
    void generatesTheSameVersionsForTheSameInput() {
        assertThat(Versions.of(generate("split-http"))).isEqualTo(Versions.of(generate("split-http")));
    }

    private ResourceSet generate(String name) {
        return generator.generate(XdsFixtures.firstProxy(FOLDER.resolve(name + INPUT)));
    }

    private static ProxyContext proxyOf(String yaml) {
        try {
            Path file = Files.createTempFile("outbound", INPUT);
            Files.writeString(file, yaml);
            try {
                return XdsFixtures.firstProxy(file);
            } finally {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static <M extends Message> M unpack(Listener listener, Class<M> type) {
        try {
            return listener.getFilterChains(0).getFilters(0).getTypedConfig().unpack(type);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
