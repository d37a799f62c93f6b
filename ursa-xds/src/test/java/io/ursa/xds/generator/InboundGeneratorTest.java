package io.ursa.xds.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.resources.ResourceSet;
import io.ursa.xds.resources.Versions;
import io.ursa.xds.testing.GoldenFiles;
import io.ursa.xds.testing.StrictEnvoyProtos;
import io.ursa.xds.testing.XdsFixtures;
import io.ursa.xds.testing.XdsYaml;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class InboundGeneratorTest {
    private static final Path FOLDER = XdsFixtures.TESTDATA.resolve("inbound");
    private static final String INPUT = ".input.yaml";

    private final InboundGenerator generator = new InboundGenerator();

    /** One case per {@code <case>.input.yaml}; adding a case means adding the input and its golden file. */
    static Stream<String> cases() {
        return GoldenFiles.caseNames(FOLDER, INPUT).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesGoldenAndEnvoyProtos(String name) {
        ProxyContext proxy = XdsFixtures.firstProxy(FOLDER.resolve(name + INPUT));
        ResourceSet resources = generator.generate(proxy);

        // The collector cluster a traced connection manager names is the TracingGenerator's, the SDS secrets the
        // TLS contexts name are the SecretsGenerator's.
        StrictEnvoyProtos.check(resources.merge(new TracingGenerator().generate(proxy))
                .merge(new SecretsGenerator().generate(proxy)));
        GoldenFiles.assertMatches(FOLDER.resolve(name + ".golden.yaml"), XdsYaml.toTree(resources));
    }

    @Test
    void coversTheRequiredCases() throws IOException {
        assertThat(cases()).contains("tcp", "http", "grpc", "multiple-inbounds", "service-port-default",
                "gateway-without-inbounds", "mtls-strict", "mtls-permissive", "rbac-sources", "rbac-mesh-source",
                "rbac-no-match");
    }

    @Test
    void tcpInboundProxiesToItsLocalCluster() {
        ResourceSet resources = generate("tcp");

        Listener listener = resources.get(Listener.class, "inbound:192.168.0.1:6379").orElseThrow();
        TcpProxy tcp = unpack(listener, TcpProxy.class);
        assertThat(tcp.getCluster()).isEqualTo("localhost:16379");
        assertThat(tcp.getStatPrefix()).isEqualTo("localhost_16379");
        Cluster cluster = resources.get(Cluster.class, "localhost:16379").orElseThrow();
        assertThat(cluster.getType()).isEqualTo(Cluster.DiscoveryType.STATIC);
        assertThat(cluster.getTypedExtensionProtocolOptionsMap()).isEmpty();
    }

    @Test
    void servicePortDefaultsToThePortAndServiceAddressToTheDataplaneIp() {
        Cluster cluster = generate("service-port-default").get(Cluster.class, "localhost:8080").orElseThrow();

        var address = cluster.getLoadAssignment().getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress();
        assertThat(address.getSocketAddress().getAddress()).isEqualTo("192.168.0.3");
        assertThat(address.getSocketAddress().getPortValue()).isEqualTo(8080);
    }

    @Test
    void grpcInboundStartsWithGrpcStatsAndEndsWithRouter() {
        Listener listener = generate("grpc").get(Listener.class, "inbound:192.168.0.2:50051").orElseThrow();

        HttpConnectionManager hcm = unpack(listener, HttpConnectionManager.class);
        assertThat(hcm.getHttpFiltersList()).extracting(f -> f.getName())
                .containsExactly("envoy.filters.http.grpc_stats", "envoy.filters.http.router");
        assertThat(hcm.getRouteConfig().getVirtualHosts(0).getRoutes(0).getRoute().getCluster())
                .isEqualTo("localhost:15051");
    }

    @Test
    void skipsServicelessInboundsAndDoesNotApplyWithoutInbounds() {
        assertThat(generate("multiple-inbounds").byName(io.ursa.xds.resources.EnvoyType.LISTENER).keySet())
                .containsExactly("inbound:192.168.0.4:7000", "inbound:192.168.0.4:8443",
                        "inbound:192.168.0.4:9092", "inbound:[fd00::1]:8081");
        assertThat(generate("gateway-without-inbounds").isEmpty()).isTrue();
    }

    @Test
    void strictMtlsIsOneChainWithTheMeshTlsContextAndRbacFirst() {
        Listener listener = generate("mtls-strict").get(Listener.class, "inbound:192.168.0.1:80").orElseThrow();

        assertThat(listener.getFilterChainsList()).hasSize(1);
        FilterChain chain = listener.getFilterChains(0);
        assertThat(chain.hasFilterChainMatch()).isFalse();
        assertThat(listener.getListenerFiltersList()).isEmpty();
        assertThat(chain.getFiltersList()).extracting(f -> f.getName())
                .containsExactly("envoy.filters.network.rbac", "envoy.filters.network.http_connection_manager");
        DownstreamTlsContext tls = unpack(chain.getTransportSocket().getTypedConfig(), DownstreamTlsContext.class);
        assertThat(tls.getRequireClientCertificate().getValue()).isTrue();
        assertThat(tls.getCommonTlsContext().getAlpnProtocolsList()).isEmpty();
        assertThat(tls.getCommonTlsContext().getTlsCertificateSdsSecretConfigs(0).getName())
                .isEqualTo("identity_cert:secret:default");
    }

    @Test
    void permissiveMtlsSniffsTlsAndHasPlaintextAppTlsAndMeshTlsChains() {
        Listener listener = generate("mtls-permissive").get(Listener.class, "inbound:192.168.0.2:50051")
                .orElseThrow();

        assertThat(listener.getListenerFiltersList()).extracting(f -> f.getName())
                .containsExactly("envoy.filters.listener.tls_inspector");
        assertThat(listener.getFilterChainsList()).extracting(c -> c.getFilterChainMatch().getTransportProtocol(),
                        c -> c.getFilterChainMatch().getApplicationProtocolsList(), FilterChain::hasTransportSocket)
                .containsExactly(tuple("raw_buffer", List.of(), false), tuple("tls", List.of(), false),
                        tuple("tls", List.of("kuma"), true));
        assertThat(listener.getFilterChainsList()).allSatisfy(chain -> assertThat(chain.getFilters(0).getName())
                .isEqualTo("envoy.filters.network.rbac"));
    }

    @Test
    void sharingACaAcceptsTheSpiffeIdsOfEveryTrustedMesh() {
        Listener listener = generate("rbac-mesh-source").get(Listener.class, "inbound:192.168.0.3:7070")
                .orElseThrow();

        DownstreamTlsContext tls = unpack(listener.getFilterChains(0).getTransportSocket().getTypedConfig(),
                DownstreamTlsContext.class);
        assertThat(tls.getCommonTlsContext().getCombinedValidationContext().getDefaultValidationContext()
                .getMatchTypedSubjectAltNamesList())
                .extracting(m -> m.getSanType().name(), m -> m.getMatcher().getPrefix())
                .containsExactly(tuple("URI", "spiffe://default/"), tuple("URI", "spiffe://other/"));
    }

    @Test
    void generatesTheSameVersionsForTheSameInput() {
        assertThat(Versions.of(generate("multiple-inbounds"))).isEqualTo(Versions.of(generate("multiple-inbounds")));
    }

    private ResourceSet generate(String name) {
        ProxyContext proxy = XdsFixtures.firstProxy(FOLDER.resolve(name + INPUT));
        return generator.generate(proxy);
    }

    private static <M extends com.google.protobuf.Message> M unpack(com.google.protobuf.Any any, Class<M> type) {
        try {
            return any.unpack(type);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static <M extends com.google.protobuf.Message> M unpack(Listener listener, Class<M> type) {
        try {
            return listener.getFilterChains(0).getFilters(0).getTypedConfig().unpack(type);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
