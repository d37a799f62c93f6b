package io.ursa.xds.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.context.ProxyMetadata;
import io.ursa.xds.names.EnvoyNames;
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

class PrometheusEndpointGeneratorTest {
    private static final Path FOLDER = XdsFixtures.TESTDATA.resolve("prometheus-endpoint");
    private static final String INPUT = ".input.yaml";

    private final PrometheusEndpointGenerator generator = new PrometheusEndpointGenerator();

    /** One case per {@code <case>.input.yaml}; adding a case means adding the input and its golden file. */
    static Stream<String> cases() {
        return GoldenFiles.caseNames(FOLDER, INPUT).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesGoldenAndEnvoyProtos(String name) {
        ProxyContext proxy = proxy(name);
        ResourceSet resources = generator.generate(proxy);

        // The admin cluster the scrape route names is the AdminGenerator's (both need the admin port); the SDS
        // secrets of the mTLS chain are the SecretsGenerator's.
        StrictEnvoyProtos.check(resources.merge(new AdminGenerator().generate(proxy))
                .merge(new SecretsGenerator().generate(proxy)));
        GoldenFiles.assertMatches(FOLDER.resolve(name + ".golden.yaml"), XdsYaml.toTree(resources));
    }

    @Test
    void coversTheRequiredCases() {
        assertThat(cases()).contains("default", "custom", "port-taken-by-inbound", "port-taken-by-application",
                "no-admin-port", "metrics-not-enabled", "mtls", "mtls-skip");
    }

    @Test
    void servesTheMetricsPathOnTheDataplaneAddressFromTheAgentsMetricsHijacker() {
        ResourceSet resources = generator.generate(proxy("default"));
        Listener listener = resources.get(Listener.class, EnvoyNames.PROMETHEUS_LISTENER).orElseThrow();

        assertThat(listener.getAddress().getSocketAddress())
                .isEqualTo(SocketAddress.newBuilder().setAddress("192.168.0.1").setPortValue(5670).build());
        assertThat(listener.getTrafficDirection()).isEqualTo(TrafficDirection.INBOUND);
        assertThat(hcm(listener).getStatPrefix()).isEqualTo("kuma_metrics_prometheus");
        Route route = onlyRoute(listener);
        assertThat(route.getMatch().getPrefix()).isEqualTo("/metrics");
        assertThat(route.getRoute().getCluster()).isEqualTo(EnvoyNames.METRICS_HIJACKER_CLUSTER);
        assertThat(route.getRoute().getPrefixRewrite()).isEqualTo("/");
        Cluster hijacker = resources.get(Cluster.class, EnvoyNames.METRICS_HIJACKER_CLUSTER).orElseThrow();
        assertThat(hijacker.getLoadAssignment().getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress()
                .getPipe().getPath()).isEqualTo("/tmp/kuma-mh-web-1-default.sock");
    }

    @Test
    void dataplaneMetricsOverrideTheMeshBackendFieldByField() {
        Listener listener = generator.generate(proxy("custom"))
                .get(Listener.class, EnvoyNames.PROMETHEUS_LISTENER).orElseThrow();

        assertThat(listener.getAddress().getSocketAddress().getPortValue()).isEqualTo(1234);
        Route route = onlyRoute(listener);
        assertThat(route.getMatch().getPrefix()).isEqualTo("/dataplane-metrics");
        assertThat(route.getRoute().getPrefixRewrite()).isEqualTo("/?filter=http2_act.*&usedonly");
    }

    @Test
    void withMtlsTheDataplanesOwnAddressScrapesInPlaintextAndEveryoneElseThroughRbacAndMutualTls() {
        Listener listener = generator.generate(proxy("mtls"))
                .get(Listener.class, EnvoyNames.PROMETHEUS_LISTENER).orElseThrow();

        assertThat(listener.getFilterChainsList()).hasSize(2);
        FilterChain own = listener.getFilterChains(0);
        assertThat(own.getFilterChainMatch().getSourcePrefixRangesList()).extracting(r -> r.getAddressPrefix(),
                r -> r.getPrefixLen().getValue()).containsExactly(tuple("192.168.0.1", 32));
        assertThat(own.hasTransportSocket()).isFalse();
        assertThat(own.getFiltersList()).extracting(f -> f.getName())
                .containsExactly("envoy.filters.network.http_connection_manager");
        FilterChain others = listener.getFilterChains(1);
        assertThat(others.hasFilterChainMatch()).isFalse();
        assertThat(others.getTransportSocket().getTypedConfig().is(DownstreamTlsContext.class)).isTrue();
        assertThat(others.getFiltersList()).extracting(f -> f.getName())
                .containsExactly("envoy.filters.network.rbac", "envoy.filters.network.http_connection_manager");
        io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC rbac = unpack(others.getFilters(0),
                io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.class);
        assertThat(rbac.getStatPrefix()).isEqualTo("kuma_metrics_prometheus.");
        assertThat(rbac.getRules().getPoliciesMap()).containsOnlyKeys("prometheus-scrapes-metrics");
    }

    @Test
    void skipMtlsKeepsOnePlaintextChain() {
        Listener listener = generator.generate(proxy("mtls-skip"))
                .get(Listener.class, EnvoyNames.PROMETHEUS_LISTENER).orElseThrow();

        assertThat(listener.getFilterChainsList()).hasSize(1);
        assertThat(listener.getFilterChains(0).hasTransportSocket()).isFalse();
        assertThat(hcm(listener).getStatPrefix()).isEqualTo("kuma_metrics_prometheus");
    }

    @Test
    void portCollisionWithAnInboundOrItsApplicationSkipsTheMetricsListener() {
        assertThat(generator.generate(proxy("port-taken-by-inbound")).isEmpty()).isTrue();
        assertThat(generator.generate(proxy("port-taken-by-application")).isEmpty()).isTrue();
    }

    @Test
    void nothingWithoutAnAdminPortOrAnEnabledPrometheusBackend() {
        assertThat(generator.generate(proxy("no-admin-port")).isEmpty()).isTrue();
        assertThat(generator.generate(proxy("metrics-not-enabled")).isEmpty()).isTrue();
        assertThat(generator.generate(proxy("default").withMetadata(ProxyMetadata.envoy())).isEmpty()).isTrue();
    }

    @Test
    void anOutboundOnLoopbackDoesNotCollideWithTheDataplaneAddressButOneOnTheAnyAddressDoes() {
        var networking = proxy("default").spec().networking();

        assertThat(PrometheusEndpointGenerator.usesInterface(networking, "192.168.0.1", 5670)).isFalse();
        assertThat(PrometheusEndpointGenerator.usesInterface(networking, "127.0.0.1", 5670)).isTrue();
        assertThat(PrometheusEndpointGenerator.usesInterface(networking, "0.0.0.0", 8080)).isTrue();
        assertThat(PrometheusEndpointGenerator.usesInterface(networking, "192.168.0.1", 8080)).isTrue();
        assertThat(PrometheusEndpointGenerator.usesInterface(networking, "192.168.0.2", 8080)).isFalse();
    }

    private static ProxyContext proxy(String name) {
        return XdsFixtures.firstProxy(FOLDER.resolve(name + INPUT));
    }

    private static Route onlyRoute(Listener listener) {
        VirtualHost host = hcm(listener).getRouteConfig().getVirtualHosts(0);
        assertThat(host.getName()).isEqualTo(EnvoyNames.PROMETHEUS_LISTENER);
        assertThat(host.getRoutesList()).hasSize(1);
        return host.getRoutes(0);
    }

    private static <M extends com.google.protobuf.Message> M unpack(
            io.envoyproxy.envoy.config.listener.v3.Filter filter, Class<M> type) {
        try {
            return filter.getTypedConfig().unpack(type);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static HttpConnectionManager hcm(Listener listener) {
        assertThat(listener.getFilterChainsList()).hasSize(1);
        try {
            return listener.getFilterChains(0).getFilters(0).getTypedConfig().unpack(HttpConnectionManager.class);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
