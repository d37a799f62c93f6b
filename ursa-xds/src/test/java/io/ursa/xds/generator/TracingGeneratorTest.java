package io.ursa.xds.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.trace.v3.DatadogConfig;
import io.envoyproxy.envoy.config.trace.v3.ZipkinConfig;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.resources.EnvoyType;
import io.ursa.xds.resources.ResourceSet;
import io.ursa.xds.testing.GoldenFiles;
import io.ursa.xds.testing.StrictEnvoyProtos;
import io.ursa.xds.testing.XdsFixtures;
import io.ursa.xds.testing.XdsYaml;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The collector cluster ({@link TracingGenerator}, goldens in {@code tracing/}) and the {@code tracing} of the
 * connection managers the inbound and outbound generators build (goldens {@code inbound/tracing-*},
 * {@code outbound/tracing-*}).
 */
class TracingGeneratorTest {
    private static final Path FOLDER = XdsFixtures.TESTDATA.resolve("tracing");
    private static final String INPUT = ".input.yaml";

    private final TracingGenerator generator = new TracingGenerator();

    /** One case per {@code <case>.input.yaml}; adding a case means adding the input and its golden file. */
    static Stream<String> cases() {
        return GoldenFiles.caseNames(FOLDER, INPUT).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesGoldenAndEnvoyProtos(String name) {
        ResourceSet resources = generator.generate(proxy(name));

        StrictEnvoyProtos.check(resources);
        GoldenFiles.assertMatches(FOLDER.resolve(name + ".golden.yaml"), XdsYaml.toTree(resources));
    }

    @Test
    void coversTheRequiredCases() {
        assertThat(cases()).contains("zipkin", "zipkin-https", "zipkin-ip", "datadog", "ipv6-dataplane",
                "no-traffic-trace", "unknown-backend");
    }

    @Test
    void zipkinCollectorByHostNameIsLookedUpOverIpv4WithoutTls() {
        Cluster cluster = onlyCluster(generator.generate(proxy("zipkin")), "tracing:zipkin");

        assertThat(cluster.getType()).isEqualTo(Cluster.DiscoveryType.STRICT_DNS);
        assertThat(cluster.getDnsLookupFamily()).isEqualTo(Cluster.DnsLookupFamily.V4_ONLY);
        assertThat(endpoint(cluster)).isEqualTo(socket("zipkin.tracing", 9411));
        assertThat(cluster.getConnectTimeout().getSeconds()).isEqualTo(10);
        assertThat(cluster.getTransportSocketMatchesList()).isEmpty();
    }

    @Test
    void httpsCollectorGetsTlsWithItsHostAsSni() throws InvalidProtocolBufferException {
        Cluster cluster = onlyCluster(generator.generate(proxy("zipkin-https")), "tracing:zipkin-tls");

        assertThat(endpoint(cluster)).isEqualTo(socket("zipkin.example.com", 443));
        Cluster.TransportSocketMatch match = cluster.getTransportSocketMatches(0);
        assertThat(match.getName()).isEqualTo("zipkin.example.com");
        assertThat(match.hasMatch()).isTrue();
        UpstreamTlsContext tls = match.getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class);
        assertThat(tls.getSni()).isEqualTo("zipkin.example.com");
        assertThat(tls.getAllowRenegotiation()).isTrue();
    }

    @Test
    void collectorByIpIsStaticAndIpv6DataplanesLookUpBothFamilies() {
        assertThat(onlyCluster(generator.generate(proxy("zipkin-ip")), "tracing:zipkin").getType())
                .isEqualTo(Cluster.DiscoveryType.STATIC);
        assertThat(onlyCluster(generator.generate(proxy("ipv6-dataplane")), "tracing:zipkin").getDnsLookupFamily())
                .isEqualTo(Cluster.DnsLookupFamily.AUTO);
    }

    @Test
    void datadogCollectorIsTheAgentAddressOfTheBackendTheTrafficTraceNames() {
        Cluster cluster = onlyCluster(generator.generate(proxy("datadog")), "tracing:datadog");

        assertThat(endpoint(cluster)).isEqualTo(socket("datadog-agent.monitoring", 8126));
    }

    @Test
    void noTracingClusterWhenNoTrafficTraceSelectsTheProxy() {
        assertThat(generator.generate(proxy("no-traffic-trace")).isEmpty()).isTrue();
    }

    @Test
    void anUnknownBackendNameYieldsNoTracing() {
        ProxyContext proxy = proxy("unknown-backend");

        assertThat(generator.generate(proxy).isEmpty()).isTrue();
        HttpConnectionManager hcm = unpack(new InboundGenerator().generate(proxy)
                .get(Listener.class, "inbound:192.168.0.1:8080").orElseThrow(), HttpConnectionManager.class);
        assertThat(hcm.hasTracing()).isFalse();
    }

    @Test
    void theMostSpecificTrafficTraceWins() {
        ProxyContext proxy = XdsFixtures.firstProxy(TWO_BACKENDS + """
                ---
                type: TrafficTrace
                mesh: default
                name: a-trace-all
                selectors: [{match: {kuma.io/service: '*'}}]
                conf: {backend: zipkin}
                ---
                type: TrafficTrace
                mesh: default
                name: b-trace-web-v2
                selectors: [{match: {kuma.io/service: web, version: v2}}]
                conf: {backend: datadog}
                """, "inline");

        assertThat(generator.generate(proxy).byName(EnvoyType.CLUSTER).keySet()).containsExactly("tracing:datadog");
    }

    @Test
    void inboundHttpConnectionManagersTraceAndTcpInboundsDoNot() throws InvalidProtocolBufferException {
        ResourceSet inbound = new InboundGenerator().generate(
                XdsFixtures.firstProxy(XdsFixtures.TESTDATA.resolve("inbound/tracing-zipkin.input.yaml")));

        HttpConnectionManager hcm = unpack(inbound.get(Listener.class, "inbound:192.168.0.1:80").orElseThrow(),
                HttpConnectionManager.class);
        assertThat(hcm.getTracing().getOverallSampling().getValue()).isEqualTo(12.5);
        assertThat(hcm.getTracing().getProvider().getName()).isEqualTo("envoy.zipkin");
        ZipkinConfig zipkin = hcm.getTracing().getProvider().getTypedConfig().unpack(ZipkinConfig.class);
        assertThat(zipkin.getCollectorCluster()).isEqualTo("tracing:zipkin");
        assertThat(zipkin.getCollectorEndpoint()).isEqualTo("/api/v2/spans");
        assertThat(zipkin.getCollectorHostname()).isEqualTo("zipkin.tracing:9411");
        assertThat(zipkin.getTraceId128Bit()).isTrue();
        assertThat(zipkin.getCollectorEndpointVersion()).isEqualTo(ZipkinConfig.CollectorEndpointVersion.HTTP_PROTO);
        assertThat(zipkin.hasSharedSpanContext()).isTrue();
        assertThat(zipkin.getSharedSpanContext().getValue()).isFalse();
        Listener tcp = inbound.get(Listener.class, "inbound:192.168.0.1:6379").orElseThrow();
        assertThat(tcp.getFilterChains(0).getFilters(0).getName()).isEqualTo("envoy.filters.network.tcp_proxy");
    }

    @Test
    void everyApiVersionButHttpProtoMeansHttpJsonAndUnsetSamplingIsLeftOut() throws InvalidProtocolBufferException {
        for (String apiVersion : new String[] {"httpJsonV1", "httpJson", ""}) {
            ProxyContext proxy = XdsFixtures.firstProxy("""
                    type: Mesh
                    name: default
                    tracing:
                      defaultBackend: zipkin
                      backends:
                      - name: zipkin
                        type: zipkin
                        conf: {url: 'http://zipkin:9411/api/v1/spans', apiVersion: '%s'}
                    ---
                    """.formatted(apiVersion) + WEB + TRACE_ALL, "inline");

            HttpConnectionManager hcm = unpack(new InboundGenerator().generate(proxy)
                    .get(Listener.class, "inbound:192.168.0.1:8080").orElseThrow(), HttpConnectionManager.class);
            ZipkinConfig zipkin = hcm.getTracing().getProvider().getTypedConfig().unpack(ZipkinConfig.class);
            assertThat(zipkin.getCollectorEndpointVersion()).as("apiVersion %s", apiVersion)
                    .isEqualTo(ZipkinConfig.CollectorEndpointVersion.HTTP_JSON);
            assertThat(zipkin.hasSharedSpanContext()).isFalse();
            assertThat(hcm.getTracing().hasOverallSampling()).isFalse();
        }
    }

    @Test
    void datadogSplitServiceNamesInboundAndOutboundSpansApart() throws InvalidProtocolBufferException {
        ProxyContext inboundProxy = XdsFixtures.firstProxy(
                XdsFixtures.TESTDATA.resolve("inbound/tracing-datadog-split-service.input.yaml"));
        ProxyContext outboundProxy = XdsFixtures.firstProxy(
                XdsFixtures.TESTDATA.resolve("outbound/tracing-datadog-split-service.input.yaml"));

        DatadogConfig inbound = datadog(new InboundGenerator().generate(inboundProxy), "inbound:192.168.0.1:50051");
        DatadogConfig outbound = datadog(new OutboundGenerator().generate(outboundProxy), "outbound:127.0.0.1:10001");

        assertThat(inbound.getServiceName()).isEqualTo("web_INBOUND");
        assertThat(inbound.getCollectorCluster()).isEqualTo("tracing:datadog");
        assertThat(outbound.getServiceName()).isEqualTo("web_OUTBOUND_api");
    }

    @Test
    void datadogWithoutSplitServiceUsesTheProxyService() throws InvalidProtocolBufferException {
        ProxyContext proxy = XdsFixtures.firstProxy(TWO_BACKENDS + TRACE_ALL.replace("{}", "{backend: datadog}"),
                "inline");

        assertThat(datadog(new InboundGenerator().generate(proxy), "inbound:192.168.0.1:8080").getServiceName())
                .isEqualTo("web");
    }

    @Test
    void refusesADatadogPortOutsideTheTcpRange() {
        ProxyContext proxy = XdsFixtures.firstProxy("""
                type: Mesh
                name: default
                tracing:
                  defaultBackend: datadog
                  backends:
                  - {name: datadog, type: datadog, conf: {address: agent, port: 70000}}
                ---
                """ + WEB + TRACE_ALL, "inline");

        assertThatThrownBy(() -> generator.generate(proxy)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid port of tracing backend datadog: 70000 (expected: 1-65535)");
    }

    private static final String WEB = """
            type: Dataplane
            mesh: default
            name: web-1
            networking:
              address: 192.168.0.1
              inbound:
              - port: 8080
                tags: {kuma.io/service: web, kuma.io/protocol: http, version: v2}
            """;

    private static final String TRACE_ALL = """
            ---
            type: TrafficTrace
            mesh: default
            name: trace-all-default
            selectors: [{match: {kuma.io/service: '*'}}]
            conf: {}
            """;

    private static final String TWO_BACKENDS = """
            type: Mesh
            name: default
            tracing:
              defaultBackend: zipkin
              backends:
              - {name: zipkin, type: zipkin, conf: {url: 'http://zipkin:9411/api/v2/spans'}}
              - {name: datadog, type: datadog, conf: {address: agent, port: 8126}}
            ---
            """ + WEB;

    private static ProxyContext proxy(String name) {
        return XdsFixtures.firstProxy(FOLDER.resolve(name + INPUT));
    }

    private static Cluster onlyCluster(ResourceSet resources, String name) {
        assertThat(resources.byName(EnvoyType.CLUSTER).keySet()).containsExactly(name);
        return resources.get(Cluster.class, name).orElseThrow();
    }

    private static SocketAddress endpoint(Cluster cluster) {
        assertThat(cluster.getLoadAssignment().getClusterName()).isEqualTo(cluster.getName());
        return cluster.getLoadAssignment().getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress()
                .getSocketAddress();
    }

    private static SocketAddress socket(String address, int port) {
        return SocketAddress.newBuilder().setAddress(address).setPortValue(port).build();
    }

    private static DatadogConfig datadog(ResourceSet resources, String listener)
            throws InvalidProtocolBufferException {
        HttpConnectionManager hcm = unpack(resources.get(Listener.class, listener).orElseThrow(),
                HttpConnectionManager.class);
        assertThat(hcm.getTracing().getProvider().getName()).isEqualTo("envoy.datadog");
        return hcm.getTracing().getProvider().getTypedConfig().unpack(DatadogConfig.class);
    }

    private static <M extends Message> M unpack(Listener listener, Class<M> type) {
        try {
            return listener.getFilterChains(0).getFilters(0).getTypedConfig().unpack(type);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
