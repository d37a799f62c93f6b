package io.ursa.xds.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.resource.Resource;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.names.EnvoyNames;
import io.ursa.xds.names.EnvoyNames.IpFamily;
import io.ursa.xds.resources.EnvoyType;
import io.ursa.xds.resources.ResourceSet;
import io.ursa.xds.resources.Versions;
import io.ursa.xds.testing.GoldenFiles;
import io.ursa.xds.testing.StrictEnvoyProtos;
import io.ursa.xds.testing.XdsFixtures;
import io.ursa.xds.testing.XdsYaml;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TransparentProxyGeneratorTest {
    private static final Path FOLDER = XdsFixtures.TESTDATA.resolve("transparent-proxy");
    private static final String INPUT = ".input.yaml";
    private static final String OUTBOUND_V4 = EnvoyNames.outboundPassthrough(IpFamily.IPV4);
    private static final String OUTBOUND_V6 = EnvoyNames.outboundPassthrough(IpFamily.IPV6);
    private static final String INBOUND_V4 = EnvoyNames.inboundPassthrough(IpFamily.IPV4);
    private static final String INBOUND_V6 = EnvoyNames.inboundPassthrough(IpFamily.IPV6);
    /** The clusters the catch-all listeners name but a passthrough-off mesh never gets (§4, §9). */
    private static final Set<String> ABSENT_WITHOUT_PASSTHROUGH = Set.of(OUTBOUND_V4, OUTBOUND_V6);

    private final TransparentProxyGenerator generator = new TransparentProxyGenerator();

    /** One case per {@code <case>.input.yaml}; adding a case means adding the input and its golden file. */
    static Stream<String> cases() {
        return GoldenFiles.caseNames(FOLDER, INPUT).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesGoldenAndEnvoyProtos(String name) {
        ProxyContext proxy = proxy(name);
        ResourceSet resources = generator.generate(proxy);

        StrictEnvoyProtos.check(resources, proxy.meshSpec().isPassthrough() ? Set.of() : ABSENT_WITHOUT_PASSTHROUGH);
        GoldenFiles.assertMatches(FOLDER.resolve(name + ".golden.yaml"), XdsYaml.toTree(resources));
    }

    @Test
    void coversTheRequiredCases() throws IOException {
        assertThat(cases()).contains("passthrough-default", "passthrough-on", "passthrough-off", "ipv6",
                "ipv6-passthrough-off", "no-transparent-proxying", "redirect-port-outbound-zero");
    }

    @Test
    void passthroughUnsetGeneratesBothCatchAllListenersAndBothOriginalDstClusters() {
        ResourceSet resources = generate("passthrough-default");

        assertThat(resources.byName(EnvoyType.LISTENER).keySet()).containsExactly(INBOUND_V4, OUTBOUND_V4);
        assertThat(resources.byName(EnvoyType.CLUSTER).keySet()).containsExactly(INBOUND_V4, OUTBOUND_V4);
        Listener outbound = resources.get(Listener.class, OUTBOUND_V4).orElseThrow();
        assertThat(socket(outbound)).isEqualTo(socket("0.0.0.0", 15001));
        assertThat(outbound.getUseOriginalDst().getValue()).isTrue();
        assertThat(outbound.getTrafficDirection()).isEqualTo(TrafficDirection.OUTBOUND);
        assertThat(outbound.hasEnableReusePort()).isFalse();
        assertThat(outbound.hasBindToPort()).isFalse();
        TcpProxy tcp = tcpProxy(outbound);
        assertThat(tcp.getCluster()).isEqualTo(OUTBOUND_V4);
        assertThat(tcp.getStatPrefix()).isEqualTo("outbound_passthrough_ipv4");
        Cluster cluster = resources.get(Cluster.class, OUTBOUND_V4).orElseThrow();
        assertThat(cluster.getType()).isEqualTo(Cluster.DiscoveryType.ORIGINAL_DST);
        assertThat(cluster.getLbPolicy()).isEqualTo(Cluster.LbPolicy.CLUSTER_PROVIDED);
        assertThat(cluster.getConnectTimeout().getSeconds()).isEqualTo(10);
        assertThat(cluster.getAltStatName()).isEqualTo("outbound_passthrough_ipv4");
        assertThat(cluster.hasUpstreamBindConfig()).isFalse();
    }

    @Test
    void inboundPassthroughBindsTo127006SoIptablesDoesNotRedirectItAgain() {
        ResourceSet resources = generate("passthrough-default");

        Listener inbound = resources.get(Listener.class, INBOUND_V4).orElseThrow();
        assertThat(socket(inbound)).isEqualTo(socket("0.0.0.0", 15006));
        assertThat(inbound.getTrafficDirection()).isEqualTo(TrafficDirection.INBOUND);
        assertThat(inbound.getEnableReusePort().getValue()).isFalse();
        assertThat(inbound.getUseOriginalDst().getValue()).isTrue();
        assertThat(tcpProxy(inbound).getCluster()).isEqualTo(INBOUND_V4);
        Cluster cluster = resources.get(Cluster.class, INBOUND_V4).orElseThrow();
        assertThat(cluster.getType()).isEqualTo(Cluster.DiscoveryType.ORIGINAL_DST);
        assertThat(cluster.getUpstreamBindConfig().getSourceAddress()).isEqualTo(socket("127.0.0.6", 0));
    }

    @Test
    void passthroughExplicitlyOnIsTheSameAsUnset() {
        assertThat(generate("passthrough-on")).isEqualTo(generate("passthrough-default"));
    }

    @Test
    void passthroughOffLeavesOutTheOutboundPassthroughClusterButKeepsTheCatchAll() {
        ResourceSet off = generate("passthrough-off");
        ResourceSet on = generate("passthrough-default");

        assertThat(off.get(Cluster.class, OUTBOUND_V4)).isEmpty();
        assertThat(off.byName(EnvoyType.CLUSTER).keySet()).containsExactly(INBOUND_V4);
        assertThat(off.get(Listener.class, OUTBOUND_V4)).isEqualTo(on.get(Listener.class, OUTBOUND_V4));
        assertThat(off.get(Listener.class, INBOUND_V4)).isEqualTo(on.get(Listener.class, INBOUND_V4));
        assertThat(off.get(Cluster.class, INBOUND_V4)).isEqualTo(on.get(Cluster.class, INBOUND_V4));
        assertThatThrownBy(() -> StrictEnvoyProtos.check(off)).as("the catch-all must not reach any cluster")
                .isInstanceOf(AssertionError.class).hasMessageContaining(OUTBOUND_V4);
    }

    @Test
    void passthroughOffWholeProxyResolvesEveryClusterExceptTheOutboundPassthrough() {
        Profile profile = Profile.of(new TransparentProxyGenerator(), new InboundGenerator(), new OutboundGenerator());

        ResourceSet resources = profile.generate(proxy("passthrough-off"));

        StrictEnvoyProtos.check(resources, ABSENT_WITHOUT_PASSTHROUGH);
        assertThat(resources.byName(EnvoyType.CLUSTER).keySet()).as("every service is reachable on its VIP")
                .containsExactly("backend", INBOUND_V4, "localhost:8080", "web");
        assertThat(tcpProxy(resources.get(Listener.class, "outbound:127.0.0.1:10001").orElseThrow()).getCluster())
                .as("mesh traffic keeps its own listener and cluster").isEqualTo("backend");
    }

    @Test
    void passthroughOffKeepsAnExternalServiceReachableThroughItsOwnListener() {
        ResourceSet resources = Profiles.envoy().generate(XdsFixtures.firstProxy(withExternalService(),
                "passthrough-off with an ExternalService"));

        StrictEnvoyProtos.check(resources, ABSENT_WITHOUT_PASSTHROUGH);
        assertThat(resources.get(Cluster.class, OUTBOUND_V4)).isEmpty();
        assertThat(tcpProxy(resources.get(Listener.class, OUTBOUND_V4).orElseThrow()).getCluster())
                .as("the catch-all still names the cluster that is not there").isEqualTo(OUTBOUND_V4);
        assertThat(tcpProxy(resources.get(Listener.class, "outbound:127.0.0.1:10080").orElseThrow()).getCluster())
                .isEqualTo("httpbin");
        Cluster external = resources.get(Cluster.class, "httpbin").orElseThrow();
        assertThat(external.getType()).isEqualTo(Cluster.DiscoveryType.STRICT_DNS);
        assertThat(external.getLoadAssignment().getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress()
                .getSocketAddress()).isEqualTo(socket("httpbin.org", 80));
    }

    @Test
    void passthroughOffGivesADestinationOutsideTheMeshWithoutExternalServiceNoRoute() {
        ResourceSet resources = Profiles.envoy().generate(XdsFixtures.firstProxy(withExternalService(),
                "passthrough-off with an ExternalService"));

        // example.org (93.184.215.14:443) is neither a mesh service nor an ExternalService: no listener has its
        // address, so its connections stay on the catch-all, whose cluster is absent; no cluster reaches it
        assertThat(resources.resources(Listener.class)).extracting(TransparentProxyGeneratorTest::socket)
                .doesNotContain(socket("93.184.215.14", 443));
        assertThat(resources.byName(EnvoyType.LISTENER).keySet()).filteredOn(name -> !VIP_OUTBOUND.matcher(name)
                .matches()).containsExactlyInAnyOrder(OUTBOUND_V4, INBOUND_V4, "inbound:192.168.0.1:8080",
                "outbound:127.0.0.1:10001", "outbound:127.0.0.1:10080");
        assertThat(resources.byName(EnvoyType.LISTENER).keySet()).filteredOn(name -> VIP_OUTBOUND.matcher(name)
                .matches()).as("one VIP outbound per service of the mesh: api, web, httpbin").hasSize(3);
        assertThat(resources.resources(Cluster.class))
                .filteredOn(c -> c.getType() == Cluster.DiscoveryType.ORIGINAL_DST).extracting(Cluster::getName).as("the only original-destination cluster").containsExactly(INBOUND_V4);
        assertThat(resources.resources(Cluster.class)).allSatisfy(cluster -> {
            assertThat(cluster.getLoadAssignment().getEndpointsList()).flatExtracting(g -> g.getLbEndpointsList())
                    .extracting(e -> e.getEndpoint().getAddress().getSocketAddress().getAddress())
                    .as(cluster.getName()).doesNotContain("93.184.215.14", "example.org");
        });
        assertThat(resources.byName(EnvoyType.CLUSTER).keySet()).doesNotContain(OUTBOUND_V4);
    }

    /** A listener on a VIP (240.0.0.0/4) at port 80, as the control plane gives a transparent proxy per service. */
    private static final java.util.regex.Pattern VIP_OUTBOUND = java.util.regex.Pattern.compile(
            "outbound:2(4\\d|5[0-5])\\.\\d+\\.\\d+\\.\\d+:80");

    /** passthrough-off, plus the ExternalService httpbin ({@code httpbin.org:80}) and an outbound to it. */
    private static String withExternalService() {
        return XdsFixtures.read(FOLDER.resolve("passthrough-off" + INPUT))
                .replace("""
                          outbound:
                          - port: 10001
                            tags: {kuma.io/service: backend}
                        """, """
                          outbound:
                          - port: 10001
                            tags: {kuma.io/service: backend}
                          - port: 10080
                            tags: {kuma.io/service: httpbin}
                        """) + """
                ---
                type: ExternalService
                mesh: default
                name: httpbin
                networking: {address: 'httpbin.org:80'}
                tags: {kuma.io/service: httpbin}
                """;
    }

    @Test
    void passthroughOnWholeProxyResolvesEveryCluster() {
        Profile profile = Profile.of(new TransparentProxyGenerator(), new InboundGenerator(), new OutboundGenerator());

        StrictEnvoyProtos.check(profile.generate(proxy("ipv6")));
    }

    @Test
    void ipv6GetsItsOwnSetOnTheAnyAddressWithInboundBoundToColonColon6() {
        ResourceSet resources = generate("ipv6");

        assertThat(resources.byName(EnvoyType.LISTENER).keySet())
                .containsExactly(INBOUND_V4, INBOUND_V6, OUTBOUND_V4, OUTBOUND_V6);
        assertThat(resources.byName(EnvoyType.CLUSTER).keySet())
                .containsExactly(INBOUND_V4, INBOUND_V6, OUTBOUND_V4, OUTBOUND_V6);
        assertThat(socket(resources.get(Listener.class, OUTBOUND_V6).orElseThrow())).isEqualTo(socket("::", 15001));
        assertThat(socket(resources.get(Listener.class, INBOUND_V6).orElseThrow())).isEqualTo(socket("::", 15010));
        assertThat(tcpProxy(resources.get(Listener.class, OUTBOUND_V6).orElseThrow()).getStatPrefix())
                .isEqualTo("outbound_passthrough_ipv6");
        assertThat(resources.get(Cluster.class, INBOUND_V6).orElseThrow().getUpstreamBindConfig().getSourceAddress())
                .isEqualTo(socket("::6", 0));
    }

    @Test
    void ipv6WithPassthroughOffLeavesOutBothOutboundPassthroughClusters() {
        ResourceSet resources = generate("ipv6-passthrough-off");

        assertThat(resources.byName(EnvoyType.CLUSTER).keySet()).containsExactly(INBOUND_V4, INBOUND_V6);
        assertThat(resources.byName(EnvoyType.LISTENER).keySet())
                .containsExactly(INBOUND_V4, INBOUND_V6, OUTBOUND_V4, OUTBOUND_V6);
    }

    @Test
    void doesNotApplyWithoutTransparentProxyingOrWithoutAnOutboundRedirectPort() {
        assertThat(generate("no-transparent-proxying").isEmpty()).isTrue();
        assertThat(generate("redirect-port-outbound-zero").isEmpty()).isTrue();
    }

    @Test
    void refusesAMissingInboundRedirectPortNamingTheField() {
        ProxyContext proxy = withTransparentProxying(proxy("passthrough-default"),
                new DataplaneSpec.TransparentProxying(0, 15001, List.of(), 0, List.of()));

        assertThatThrownBy(() -> generator.generate(proxy)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid networking.transparentProxying.redirectPortInbound: 0 "
                        + "(expected: 1-65535 when redirectPortOutbound is set)");
    }

    @Test
    void generatesTheSameVersionsForTheSameInput() {
        assertThat(Versions.of(generate("ipv6"))).isEqualTo(Versions.of(generate("ipv6")));
    }

    private ResourceSet generate(String name) {
        return generator.generate(proxy(name));
    }

    private static ProxyContext proxy(String name) {
        return XdsFixtures.firstProxy(FOLDER.resolve(name + INPUT));
    }

    private static ProxyContext withTransparentProxying(ProxyContext proxy, DataplaneSpec.TransparentProxying tp) {
        DataplaneSpec spec = proxy.spec();
        DataplaneSpec.Networking n = spec.networking();
        DataplaneSpec changed = new DataplaneSpec(new DataplaneSpec.Networking(n.address(), n.advertisedAddress(),
                n.gateway(), n.inbound(), n.outbound(), tp, n.admin()), spec.metrics(), spec.probes());
        Resource<DataplaneSpec> dataplane = proxy.dataplane().withSpec(changed);
        return new ProxyContext(dataplane, proxy.mesh());
    }

    private static SocketAddress socket(Listener listener) {
        return listener.getAddress().getSocketAddress();
    }

    private static SocketAddress socket(String address, int port) {
        return SocketAddress.newBuilder().setAddress(address).setPortValue(port).build();
    }

    private static TcpProxy tcpProxy(Listener listener) {
        assertThat(listener.getFilterChainsList()).hasSize(1);
        assertThat(listener.getFilterChains(0).getFiltersList()).hasSize(1);
        try {
            return listener.getFilterChains(0).getFilters(0).getTypedConfig().unpack(TcpProxy.class);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
