package io.ursa.xds.generator;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.xds.context.MeshContext;
import io.ursa.xds.context.MeshContextBuilder;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.resources.EnvoyType;
import io.ursa.xds.resources.ResourceSet;
import io.ursa.xds.testing.GoldenFiles;
import io.ursa.xds.testing.StrictEnvoyProtos;
import io.ursa.xds.testing.XdsFixtures;
import io.ursa.xds.testing.XdsYaml;
import io.ursa.xds.vips.MeshVips;
import io.ursa.xds.vips.VipEntry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole Envoy configuration of transparently proxied Dataplanes (envoy-config §3.1, §2.2–2.3, §4): VIP
 * outbounds, {@code bindToPort: false}, local clusters bound to {@code 127.0.0.6}, VirtualOutbound hosts.
 */
class TransparentProxyProfileTest {
    private static final Path FOLDER = XdsFixtures.TESTDATA.resolve("transparent-proxy-profile");
    private static final String INPUT = ".input.yaml";

    static Stream<String> cases() {
        return GoldenFiles.caseNames(FOLDER, INPUT).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesGoldenAndEnvoyProtos(String name) {
        ResourceSet resources = generate(name);

        StrictEnvoyProtos.check(resources);
        GoldenFiles.assertMatches(FOLDER.resolve(name + ".golden.yaml"), XdsYaml.toTree(resources));
    }

    @Test
    void coversTheRequiredCases() throws IOException {
        assertThat(cases()).contains("vip-outbounds", "reachable-services", "virtual-outbound", "ipv6",
                "no-dns-ports");
    }

    @Test
    void everyServiceGetsAnUnboundOutboundOnItsVipAtPort80AndAnExternalServiceAlsoAtItsOwnPort() {
        ProxyContext proxy = proxy("vip-outbounds");
        ResourceSet resources = Profiles.envoy().generate(proxy);
        MeshVips vips = proxy.mesh().vips();
        String backend = vips.table().vip(VipEntry.service("backend")).orElseThrow();
        String httpbin = vips.table().vip(VipEntry.service("httpbin")).orElseThrow();

        assertThat(resources.byName(EnvoyType.LISTENER).keySet()).contains("outbound:" + backend + ":80",
                "outbound:" + httpbin + ":80", "outbound:" + httpbin + ":443", "outbound:127.0.0.1:10001");
        Listener vip = resources.get(Listener.class, "outbound:" + backend + ":80").orElseThrow();
        assertThat(vip.getAddress().getSocketAddress())
                .isEqualTo(SocketAddress.newBuilder().setAddress(backend).setPortValue(80).build());
        assertThat(vip.getBindToPort().getValue()).isFalse();
        assertThat(vip.hasBindToPort()).isTrue();
        assertThat(resources.get(Listener.class, "outbound:127.0.0.1:10001").orElseThrow().getBindToPort()
                .getValue()).as("the Dataplane's own outbound is kept, not bound either").isFalse();
    }

    @Test
    void reachableServicesLimitTheVipOutboundsToThoseServices() {
        ProxyContext proxy = proxy("reachable-services");

        assertThat(ProxyOutbounds.of(proxy)).extracting(o -> o.tags().get("kuma.io/service"))
                .containsOnly("backend");
        assertThat(proxy.mesh().vips().table().vips()).hasSize(3);
    }

    @Test
    void anOutboundWrittenOnAVipIsReplacedAndOneOnAnInboundAddressAndPortIsDropped() {
        ProxyContext proxy = proxy("vip-outbounds");
        String backend = proxy.mesh().vips().table().vip(VipEntry.service("backend")).orElseThrow();
        DataplaneSpec.Networking n = proxy.spec().networking();
        // an old Dataplane that lists a VIP outbound itself, on a mesh whose backend VIP is also web-1's inbound
        DataplaneSpec.Outbound stale = new DataplaneSpec.Outbound(backend, 80, "", Map.of("kuma.io/service", "x"));
        DataplaneSpec.Inbound onVip = new DataplaneSpec.Inbound(80, 0, "", backend,
                Map.of("kuma.io/service", "web"), null, null);
        DataplaneSpec changed = new DataplaneSpec(new DataplaneSpec.Networking(n.address(), n.advertisedAddress(),
                n.gateway(), List.of(n.inbound().get(0), onVip), List.of(n.outbound().get(0), stale),
                n.transparentProxying(), n.admin()), null, null);
        ProxyContext withStale = new ProxyContext(proxy.dataplane().withSpec(changed), proxy.mesh());

        List<DataplaneSpec.Outbound> outbounds = ProxyOutbounds.of(withStale);

        assertThat(outbounds).doesNotContain(stale).contains(n.outbound().get(0));
        assertThat(outbounds).noneMatch(o -> o.address().equals(backend) && o.port() == 80);
    }

    @Test
    void inboundListenersAreNotBoundAndLocalClustersBindTo127006() {
        ResourceSet resources = generate("vip-outbounds");

        Listener inbound = resources.get(Listener.class, "inbound:192.168.0.1:8080").orElseThrow();
        assertThat(inbound.hasBindToPort()).isTrue();
        assertThat(inbound.getBindToPort().getValue()).isFalse();
        Cluster local = resources.get(Cluster.class, "localhost:8080").orElseThrow();
        assertThat(local.getUpstreamBindConfig().getSourceAddress())
                .isEqualTo(SocketAddress.newBuilder().setAddress("127.0.0.6").setPortValue(0).build());
        assertThat(generate("ipv6").get(Cluster.class, "localhost:8080").orElseThrow().getUpstreamBindConfig()
                .getSourceAddress().getAddress()).isEqualTo("::6");
    }

    @Test
    void aVirtualOutboundHostGetsItsOwnVipAndListenersRoutedByItsTags() {
        ProxyContext proxy = proxy("virtual-outbound");
        String v1 = proxy.mesh().vips().table().vip(VipEntry.host("v1.backend.mesh")).orElseThrow();
        ResourceSet resources = Profiles.envoy().generate(proxy);

        Listener listener = resources.get(Listener.class, "outbound:" + v1 + ":8080").orElseThrow();
        assertThat(listener.getMetadata().getFilterMetadataOrThrow("io.kuma.tags").getFieldsMap())
                .containsOnlyKeys("kuma.io/service", "version");
        assertThat(resources.get(Listener.class, "outbound:" + v1 + ":80")).isPresent();
    }

    @Test
    void aProxyWithoutTransparentProxyingGetsTheSameConfigurationWhenItsMeshHasVips() {
        String yaml = XdsFixtures.read(FOLDER.resolve("vip-outbounds" + INPUT));
        String withoutTp = yaml.replace("  transparentProxying:\n    redirectPortInbound: 15006\n"
                + "    redirectPortOutbound: 15001\n", "");
        // backend-1 is the same Dataplane in both meshes; only web-1 is transparently proxied in the first
        MeshContext tpMesh = new MeshContextBuilder(XdsFixtures.store(yaml), ResourceTypes.standard())
                .build("default").orElseThrow();
        MeshContext plainMesh = new MeshContextBuilder(XdsFixtures.store(withoutTp), ResourceTypes.standard())
                .build("default").orElseThrow();

        assertThat(tpMesh.vips().table().isEmpty()).isFalse();
        assertThat(plainMesh.vips()).isEqualTo(MeshVips.none());
        assertThat(XdsYaml.toTree(Profiles.envoy().generate(tpMesh.proxy("backend-1").orElseThrow())))
                .isEqualTo(XdsYaml.toTree(Profiles.envoy().generate(plainMesh.proxy("backend-1").orElseThrow())));
    }

    private static ResourceSet generate(String name) {
        return Profiles.envoy().generate(proxy(name));
    }

    private static ProxyContext proxy(String name) {
        return XdsFixtures.firstProxy(FOLDER.resolve(name + INPUT));
    }

}
