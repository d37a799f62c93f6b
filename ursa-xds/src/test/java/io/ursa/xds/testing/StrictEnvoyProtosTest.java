package io.ursa.xds.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Duration;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.trace.v3.ZipkinConfig;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.ursa.xds.envoy.listeners.HttpConfigurers;
import io.ursa.xds.envoy.listeners.HttpConnectionManagerBuilder;
import io.ursa.xds.envoy.listeners.NetworkFilters;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.ursa.xds.envoy.Protos;
import io.ursa.xds.envoy.listeners.ApiListeners;
import io.ursa.xds.envoy.tls.Secrets;
import io.ursa.xds.envoy.tls.TlsContexts;
import io.ursa.xds.resources.ResourceSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The checker must reject what Envoy would reject, or the golden tests prove nothing. */
class StrictEnvoyProtosTest {

    @Test
    void rejectsAnAnyOfAnUnknownType() {
        ResourceSet set = ResourceSet.of(listener(Filter.newBuilder().setName("x")
                .setTypedConfig(Protos.pack(Duration.newBuilder().setSeconds(1).build())).build()));

        assertThatThrownBy(() -> StrictEnvoyProtos.check(set)).isInstanceOf(AssertionError.class);
    }

    @Test
    void rejectsAReferenceToAMissingCluster() {
        ResourceSet set = ResourceSet.of(listener(Filter.newBuilder().setName("envoy.filters.network.tcp_proxy")
                .setTypedConfig(Protos.pack(TcpProxy.newBuilder().setStatPrefix("s").setCluster("nowhere").build()))
                .build()));

        assertThatThrownBy(() -> StrictEnvoyProtos.check(set)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("nowhere");
    }

    @Test
    void rejectsAFilterWithoutTypedConfig() {
        ResourceSet set = ResourceSet.of(listener(Filter.newBuilder().setName("envoy.filters.network.tcp_proxy")
                .build()));

        assertThatThrownBy(() -> StrictEnvoyProtos.check(set)).isInstanceOf(AssertionError.class);
    }

    @Test
    void acceptsAMissingClusterOnlyWhenItIsAbsentByDesign() {
        ResourceSet set = ResourceSet.of(listener(tcpProxy("outbound:passthrough:ipv4")));

        StrictEnvoyProtos.check(set, Set.of("outbound:passthrough:ipv4"));
        assertThatThrownBy(() -> StrictEnvoyProtos.check(set)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("outbound:passthrough:ipv4");
    }

    @Test
    void rejectsAClusterDeclaredAbsentByDesignThatExists() {
        ResourceSet set = ResourceSet.of(listener(tcpProxy("c")), originalDst("c").build());

        assertThatThrownBy(() -> StrictEnvoyProtos.check(set, Set.of("c"))).isInstanceOf(AssertionError.class)
                .hasMessageContaining("absent by design");
    }

    @Test
    void rejectsAnOriginalDstClusterWithoutClusterProvidedLbPolicy() {
        ResourceSet set = ResourceSet.of(originalDst("c").setLbPolicy(Cluster.LbPolicy.ROUND_ROBIN).build());

        assertThatThrownBy(() -> StrictEnvoyProtos.check(set)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("lbPolicy of ORIGINAL_DST cluster c");
    }

    @Test
    void rejectsTwoBoundListenersOnTheSameAddressAndPort() {
        Address address = Address.newBuilder().setSocketAddress(SocketAddress.newBuilder()
                .setAddress("0.0.0.0").setPortValue(15001)).build();
        Listener first = listener(tcpProxy("c")).toBuilder().setName("a").setAddress(address).build();
        Listener second = first.toBuilder().setName("b").build();
        Listener unbound = first.toBuilder().setName("u").setBindToPort(Protos.bool(false)).build();

        StrictEnvoyProtos.check(ResourceSet.of(first, unbound, originalDst("c").build()));
        assertThatThrownBy(() -> StrictEnvoyProtos.check(ResourceSet.of(first, second, originalDst("c").build())))
                .isInstanceOf(AssertionError.class).hasMessageContaining("0.0.0.0:15001");
    }

    @Test
    void rejectsTracingToAMissingCollectorCluster() {
        HttpConnectionManager hcm = HttpConnectionManagerBuilder.withStatPrefix("s")
                .configure(HttpConfigurers.inlineRoutes(RouteConfiguration.getDefaultInstance()))
                .configure(b -> b.setTracing(HttpConnectionManager.Tracing.newBuilder().setProvider(
                        io.envoyproxy.envoy.config.trace.v3.Tracing.Http.newBuilder().setName("envoy.zipkin")
                                .setTypedConfig(Protos.pack(ZipkinConfig.newBuilder()
                                        .setCollectorCluster("tracing:zipkin").build())))))
                .build();
        ResourceSet set = ResourceSet.of(listener(NetworkFilters.httpConnectionManager(hcm)));

        assertThatThrownBy(() -> StrictEnvoyProtos.check(set)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("tracing:zipkin");
        StrictEnvoyProtos.check(ResourceSet.of(listener(NetworkFilters.httpConnectionManager(hcm)),
                originalDst("tracing:zipkin").build()));
    }

    @Test
    void rejectsAnAccessLogWithoutTypedConfig() {
        Filter tcp = Filter.newBuilder().setName("envoy.filters.network.tcp_proxy")
                .setTypedConfig(Protos.pack(TcpProxy.newBuilder().setStatPrefix("s").setCluster("c")
                        .addAccessLog(AccessLog.newBuilder().setName("envoy.access_loggers.file")).build()))
                .build();

        assertThatThrownBy(() -> StrictEnvoyProtos.check(ResourceSet.of(listener(tcp), originalDst("c").build())))
                .isInstanceOf(AssertionError.class).hasMessageContaining("access log");
    }

    @Test
    void checksTheConnectionManagerOfAnApiListener() {
        HttpConnectionManager toNowhere = HttpConnectionManager.newBuilder()
                .setRouteConfig(RouteConfiguration.newBuilder().setName("r").addVirtualHosts(VirtualHost.newBuilder()
                        .setName("v").addDomains("backend").addRoutes(Route.newBuilder()
                                .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                                .setRoute(RouteAction.newBuilder().setCluster("nowhere")))))
                .addHttpFilters(HttpFilter.newBuilder().setName("envoy.filters.http.router")
                        .setTypedConfig(Protos.pack(Router.getDefaultInstance())))
                .build();
        HttpConnectionManager withoutRouter = toNowhere.toBuilder().clearHttpFilters().build();
        HttpConnectionManager rds = toNowhere.toBuilder().setRds(Rds.newBuilder().setRouteConfigName("missing"))
                .build();

        assertThatThrownBy(() -> StrictEnvoyProtos.check(ResourceSet.of(ApiListeners.of("backend", toNowhere))))
                .isInstanceOf(AssertionError.class).hasMessageContaining("nowhere");
        assertThatThrownBy(() -> StrictEnvoyProtos.check(ResourceSet.of(ApiListeners.of("backend", withoutRouter),
                originalDst("nowhere").build()))).isInstanceOf(AssertionError.class)
                .hasMessageContaining("HTTP filters of backend");
        assertThatThrownBy(() -> StrictEnvoyProtos.check(ResourceSet.of(ApiListeners.of("backend", rds))))
                .isInstanceOf(AssertionError.class).hasMessageContaining("missing");
    }

    @Test
    void rejectsATlsContextWhoseSdsSecretIsMissing() {
        Cluster.Builder cluster = originalDst("c").setTransportSocket(TlsContexts.transportSocket(
                TlsContexts.upstreamSds("c{mesh=default}", "identity_cert:secret:default", "mesh_ca:secret:default",
                        "spiffe://default/c")));
        ResourceSet withoutSecrets = ResourceSet.of(listener(tcpProxy("c")), cluster.build());

        assertThatThrownBy(() -> StrictEnvoyProtos.check(withoutSecrets)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("mesh_ca:secret:default");
        StrictEnvoyProtos.check(ResourceSet.of(listener(tcpProxy("c")), cluster.build(),
                Secrets.identity("identity_cert:secret:default", "cert", "key"),
                Secrets.trustedCa("mesh_ca:secret:default", "ca")));
    }

    @Test
    void rejectsANetworkRbacFilterThatIsNotFirst() {
        Filter rbac = NetworkFilters.rbac("l.", RBAC.getDefaultInstance());
        Listener listener = Listener.newBuilder().setName("l")
                .addFilterChains(FilterChain.newBuilder().addFilters(tcpProxy("c")).addFilters(rbac)).build();

        assertThatThrownBy(() -> StrictEnvoyProtos.check(ResourceSet.of(listener, originalDst("c").build())))
                .isInstanceOf(AssertionError.class).hasMessageContaining("network RBAC filter");
    }

    @Test
    void rejectsMatchingOnTlsWithoutTheTlsInspector() {
        Listener listener = Listener.newBuilder().setName("l")
                .addFilterChains(FilterChain.newBuilder().addFilters(tcpProxy("c"))
                        .setFilterChainMatch(FilterChainMatch.newBuilder().setTransportProtocol("tls")))
                .build();

        assertThatThrownBy(() -> StrictEnvoyProtos.check(ResourceSet.of(listener, originalDst("c").build())))
                .isInstanceOf(AssertionError.class).hasMessageContaining("tls_inspector");
    }

    private static Filter tcpProxy(String cluster) {
        return Filter.newBuilder().setName("envoy.filters.network.tcp_proxy")
                .setTypedConfig(Protos.pack(TcpProxy.newBuilder().setStatPrefix("s").setCluster(cluster).build()))
                .build();
    }

    private static Cluster.Builder originalDst(String name) {
        return Cluster.newBuilder().setName(name).setType(Cluster.DiscoveryType.ORIGINAL_DST)
                .setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED);
    }

    private static Listener listener(Filter filter) {
        return Listener.newBuilder().setName("l")
                .addFilterChains(FilterChain.newBuilder().addFilters(filter)).build();
    }
}
