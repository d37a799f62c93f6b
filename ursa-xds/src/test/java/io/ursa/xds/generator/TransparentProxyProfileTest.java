package io.ursa.xds.generator;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.udp.dns_filter.v3.DnsFilterConfig;
import io.envoyproxy.envoy.extensions.network.dns_resolver.cares.v3.CaresDnsResolverConfig;
import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.xds.context.MeshContext;
import io.ursa.xds.context.MeshContextBuilder;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.names.EnvoyNames;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole Envoy configuration of transparently proxied Dataplanes (envoy-config §3.1, §2.2–2.3, §4): VIP
 * outbounds, {@code bindToPort: false}, local clusters bound to {@code 127.0.0.6}, VirtualOutbound hosts and the
 * {@code kuma:dns} listener. Every proxy reports kuma-dp's default DNS ports (15054, 15055) except in the case
 * {@value #NO_DNS_PORTS}.
 */
class TransparentProxyProfileTest {
    private static final Path FOLDER = XdsFixtures.TESTDATA.resolve("transparent-proxy-profile");
    private static final String INPUT = ".input.yaml";
    static final String NO_DNS_PORTS = "no-dns-ports";
    private static final int DNS_PORT = 15054;
    private static final int EMPTY_DNS_PORT = 15055;

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
    void replicasShareTheResolvedOutboundsButAReplicaWithAnInboundOnAVipStillLosesThatOutbound() {
        ProxyContext proxy = proxy("vip-outbounds");
        String backend = proxy.mesh().vips().table().vip(VipEntry.service("backend")).orElseThrow();
        DataplaneSpec.Networking n = proxy.spec().networking();
        DataplaneSpec.Inbound onVip = new DataplaneSpec.Inbound(80, 0, "", backend,
                Map.of("kuma.io/service", "web"), null, null);
        DataplaneSpec changed = new DataplaneSpec(new DataplaneSpec.Networking("192.168.0.2", n.advertisedAddress(),
                n.gateway(), List.of(n.inbound().get(0), onVip), n.outbound(), n.transparentProxying(), n.admin()),
                null, null);
        ProxyContext onVipReplica = new ProxyContext(proxy.dataplane().withSpec(changed), proxy.mesh());

        List<DataplaneSpec.Outbound> first = ProxyOutbounds.of(proxy);
        List<DataplaneSpec.Outbound> again = ProxyOutbounds.of(proxy);
        List<DataplaneSpec.Outbound> onVipOutbounds = ProxyOutbounds.of(onVipReplica);

        assertThat(again).isSameAs(first);
        assertThat(first).anyMatch(o -> o.address().equals(backend) && o.port() == 80);
        assertThat(onVipOutbounds).noneMatch(o -> o.address().equals(backend) && o.port() == 80)
                .containsExactlyElementsOf(first.stream()
                        .filter(o -> !(o.address().equals(backend) && o.port() == 80)).toList());
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
    void theDnsListenerAnswersTheNamesOfTheVipsThisProxyHasOutboundsForAndForwardsTheRest() {
        ProxyContext proxy = proxy("vip-outbounds");
        MeshVips vips = proxy.mesh().vips();
        ResourceSet resources = Profiles.envoy().generate(proxy);

        Listener listener = resources.get(Listener.class, EnvoyNames.DNS_LISTENER).orElseThrow();
        assertThat(listener.getAddress().getSocketAddress()).isEqualTo(SocketAddress.newBuilder()
                .setAddress("127.0.0.1").setPortValue(DNS_PORT).setProtocol(SocketAddress.Protocol.UDP).build());
        assertThat(listener.getEnableReusePort().getValue()).isTrue();
        assertThat(listener.getListenerFilters(0).getName()).isEqualTo("envoy.filters.udp.dns_filter");
        DnsFilterConfig filter = dnsFilter(resources);
        assertThat(filter.getStatPrefix()).isEqualTo("kuma_dns");
        CaresDnsResolverConfig resolver;
        try {
            resolver = filter.getClientConfig().getTypedDnsResolverConfig().getTypedConfig()
                    .unpack(CaresDnsResolverConfig.class);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
        assertThat(resolver.getResolvers(0).getSocketAddress().getPortValue()).isEqualTo(EMPTY_DNS_PORT);
        assertThat(table(resources)).containsExactly(
                Map.entry("backend.mesh", List.of(vips.table().vip(VipEntry.service("backend")).orElseThrow())),
                Map.entry("httpbin.mesh", List.of(vips.table().vip(VipEntry.service("httpbin")).orElseThrow())),
                Map.entry("redis.db.svc.6379.mesh",
                        List.of(vips.table().vip(VipEntry.service("redis_db_svc_6379")).orElseThrow())),
                Map.entry("redis_db_svc_6379.mesh",
                        List.of(vips.table().vip(VipEntry.service("redis_db_svc_6379")).orElseThrow())),
                Map.entry("web.mesh", List.of(vips.table().vip(VipEntry.service("web")).orElseThrow())));
        assertThat(filter.getServerConfig().getInlineDnsTable().getVirtualDomains(0).getAnswerTtl().getSeconds())
                .isEqualTo(30);
    }

    @Test
    void theDnsTableListsOnlyReachableServicesAndVirtualOutboundHosts() {
        assertThat(table(generate("reachable-services")).keySet()).containsExactly("backend.mesh");
        assertThat(table(generate("virtual-outbound")).keySet())
                .containsExactly("backend.mesh", "v1.backend.mesh", "v2.backend.mesh");
    }

    @Test
    void anIpv6ProxyGetsEveryVipAlsoAsAnIpv4MappedIpv6Address() {
        ProxyContext proxy = proxy("ipv6");
        String vip = proxy.mesh().vips().table().vip(VipEntry.service("backend")).orElseThrow();

        assertThat(table(Profiles.envoy().generate(proxy)).get("backend.mesh"))
                .containsExactly(vip, DnsGenerator.ipv4MappedIpv6(vip));
        assertThat(DnsGenerator.ipv4MappedIpv6("240.0.0.1")).isEqualTo("::ffff:f000:1");
        assertThat(DnsGenerator.ipv4MappedIpv6("243.71.212.48")).isEqualTo("::ffff:f347:d430");
    }

    @Test
    void noDnsListenerWithoutBothDnsPortsOrWithoutTransparentProxying() {
        assertThat(generate(NO_DNS_PORTS).get(Listener.class, EnvoyNames.DNS_LISTENER)).isEmpty();
        ProxyContext proxy = proxy("vip-outbounds");
        ProxyContext backend = proxy.mesh().proxy("backend-1").orElseThrow()
                .withMetadata(proxy.metadata());
        assertThat(Profiles.envoy().generate(backend).get(Listener.class, EnvoyNames.DNS_LISTENER)).isEmpty();
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
        ProxyContext proxy = XdsFixtures.firstProxy(FOLDER.resolve(name + INPUT));
        return name.equals(NO_DNS_PORTS) ? proxy
                : proxy.withMetadata(proxy.metadata().withDnsPorts(DNS_PORT, EMPTY_DNS_PORT));
    }

    private static DnsFilterConfig dnsFilter(ResourceSet resources) {
        Listener listener = resources.get(Listener.class, EnvoyNames.DNS_LISTENER).orElseThrow();
        try {
            return listener.getListenerFilters(0).getTypedConfig().unpack(DnsFilterConfig.class);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static Map<String, List<String>> table(ResourceSet resources) {
        Map<String, List<String>> table = new LinkedHashMap<>();
        dnsFilter(resources).getServerConfig().getInlineDnsTable().getVirtualDomainsList()
                .forEach(d -> table.put(d.getName(), d.getEndpoint().getAddressList().getAddressList()));
        return table;
    }

}
