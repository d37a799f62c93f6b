package io.ursa.xds.generator;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.ursa.api.dataplane.GrpcBootstrap;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.xds.context.CrossMeshListener;
import io.ursa.xds.context.MeshContext;
import io.ursa.xds.context.MeshContextBuilder;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.context.ProxyKind;
import io.ursa.xds.context.ProxyMetadata;
import io.ursa.xds.names.EnvoyNames;
import io.ursa.xds.resources.EnvoyType;
import io.ursa.xds.resources.ResourceSet;
import io.ursa.xds.testing.GoldenFiles;
import io.ursa.xds.testing.StrictEnvoyProtos;
import io.ursa.xds.testing.XdsFixtures;
import io.ursa.xds.testing.XdsYaml;
import io.ursa.xds.vips.MeshVips;
import io.ursa.xds.vips.VipEntry;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A sidecar of mesh-b reaching the cross-mesh listeners of mesh-a's MeshGateway {@code edge} (Kuma 2.0's
 * cross-mesh gateways: {@code addFromMeshGateway}, {@code BuildCrossMeshEndpointMap}, the outbound cluster of a
 * destination with {@code kuma.io/mesh}), and what stays closed.
 */
class CrossMeshGatewayTest {
    private static final Path FOLDER = XdsFixtures.TESTDATA.resolve("cross-mesh");
    private static final Path INPUT = FOLDER.resolve("gateway.input.yaml");
    private static final String CLUSTER = "edge-gateway-_0__mesh-a";
    private static final int DNS_PORT = 15054;
    private static final int EMPTY_DNS_PORT = 15055;

    @Test
    void matchesGoldenAndEnvoyProtos() {
        ResourceSet resources = generate(XdsFixtures.read(INPUT));

        StrictEnvoyProtos.check(resources);
        GoldenFiles.assertMatches(FOLDER.resolve("gateway.golden.yaml"), XdsYaml.toTree(resources));
    }

    @Test
    void eachCrossMeshListenerGetsAVipOnItsPortAndADnsNameAndNothingElseOfTheOtherMeshDoes() {
        ProxyContext proxy = proxy(XdsFixtures.read(INPUT));
        MeshVips vips = proxy.mesh().vips();
        String named = vips.table().vip(VipEntry.fqdn("edge.mesh-a.test")).orElseThrow();
        String generated = vips.table().vip(VipEntry.fqdn("internal.edge.mesh-a.mesh")).orElseThrow();

        assertThat(vips.outbounds()).filteredOn(o -> o.address().equals(named))
                .singleElement()
                .satisfies(o -> {
                    assertThat(o.port()).isEqualTo(8080);
                    assertThat(o.origin()).isEqualTo("mesh-gateway:mesh-a:edge:edge.mesh-a.test");
                    assertThat(o.tags()).containsEntry("kuma.io/mesh", "mesh-a")
                            .containsEntry("kuma.io/service", "edge-gateway").containsEntry("listener", "internal")
                            .containsEntry("team", "edge");
                });
        assertThat(vips.outbounds()).filteredOn(o -> o.address().equals(generated))
                .extracting(MeshVips.Outbound::port).containsExactly(9090);
        assertThat(vips.table().vips().keySet()).extracting(VipEntry::key).containsExactlyInAnyOrder(
                "fqdn:edge.mesh-a.test", "fqdn:internal.edge.mesh-a.mesh", "service:web");
        assertThat(vips.domains()).flatExtracting(MeshVips.Domains::names)
                .contains("edge.mesh-a.test", "internal.edge.mesh-a.mesh")
                .doesNotContain("api.mesh", "public.mesh-a.test");

        ResourceSet resources = generate(XdsFixtures.read(INPUT));
        Listener listener = resources.get(Listener.class, "outbound:" + named + ":8080").orElseThrow();
        assertThat(listener.getMetadata().getFilterMetadataOrThrow("io.kuma.tags").getFieldsMap())
                .as("the listener's tags leave kuma.io/mesh out").doesNotContainKey("kuma.io/mesh")
                .containsKey("listener");
        assertThat(resources.byName(EnvoyType.LISTENER).keySet()).noneMatch(name -> name.endsWith(":80")
                && !name.startsWith("outbound:" + vips.table().vip(VipEntry.service("web")).orElseThrow()));
    }

    @Test
    void theClusterGoesToTheGatewayDataplaneOnTheListenerPortWithOwnIdentityAndTheGatewayMeshsCa()
            throws InvalidProtocolBufferException {
        ResourceSet resources = generate(XdsFixtures.read(INPUT));

        Cluster cluster = resources.get(Cluster.class, CLUSTER).orElseThrow();
        UpstreamTlsContext tls = cluster.getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class);
        CommonTlsContext common = tls.getCommonTlsContext();
        assertThat(tls.getSni()).isEqualTo("edge-gateway{listener=internal,mesh=mesh-a,team=edge}");
        assertThat(common.getAlpnProtocolsList()).containsExactly("kuma");
        assertThat(common.getTlsCertificateSdsSecretConfigs(0).getName()).isEqualTo("identity_cert:secret:mesh-b");
        assertThat(common.getCombinedValidationContext().getValidationContextSdsSecretConfig().getName())
                .isEqualTo("mesh_ca:secret:mesh-a");
        assertThat(common.getCombinedValidationContext().getDefaultValidationContext()
                .getMatchTypedSubjectAltNames(0).getMatcher().getExact())
                .isEqualTo("spiffe://mesh-a/edge-gateway");

        ClusterLoadAssignment cla = resources.get(ClusterLoadAssignment.class, CLUSTER).orElseThrow();
        assertThat(cla.getEndpointsList()).flatExtracting(e -> e.getLbEndpointsList())
                .extracting(LbEndpoint::getEndpoint)
                .extracting(e -> e.getAddress().getSocketAddress().getAddress() + ":"
                        + e.getAddress().getSocketAddress().getPortValue())
                .containsExactly("192.168.1.10:8080");

        Secret ca = resources.get(Secret.class, "mesh_ca:secret:mesh-a").orElseThrow();
        assertThat(ca.getValidationContext().getTrustedCa().getInlineBytes().toStringUtf8())
                .isEqualTo(XdsFixtures.read(XdsFixtures.MTLS.resolve("ca-2.pem")));
    }

    @Test
    void onlyTheCrossMeshListenersAreOfferedNotTheOtherMeshsServicesOrOtherListeners() {
        String yaml = XdsFixtures.read(INPUT);
        ResourceSet resources = generate(yaml);
        String all = XdsYaml.toTree(resources).toString();

        assertThat(resources.byName(EnvoyType.CLUSTER).keySet()).filteredOn(n -> n.contains("mesh-a"))
                .containsExactlyInAnyOrder(CLUSTER, "edge-gateway-_1__mesh-a");
        assertThat(all).doesNotContain("192.168.1.20").doesNotContain("spiffe://mesh-a/api")
                .doesNotContain("public.mesh-a.test");
        MeshContext mesh = proxy(yaml).mesh();
        assertThat(mesh.crossMesh().reachable()).extracting(CrossMeshListener::origin).containsExactly(
                "mesh-gateway:mesh-a:edge:edge.mesh-a.test", "mesh-gateway:mesh-a:edge:internal.edge.mesh-a.mesh");
        assertThat(mesh.endpoints()).doesNotContainKey("api");
    }

    @Test
    void aMeshWithMtlsOffReachesNoCrossMeshListener() {
        String yaml = XdsFixtures.read(INPUT).replaceFirst("(?s)name: mesh-b\nmtls:.*?---", "name: mesh-b\n---");
        ProxyContext proxy = proxy(yaml);
        ResourceSet resources = Profiles.envoy().generate(proxy);

        assertThat(proxy.mtls()).isEmpty();
        assertThat(proxy.mesh().crossMesh().reachable()).isEmpty();
        assertThat(proxy.mesh().vips().table().vips().keySet()).extracting(VipEntry::key)
                .containsExactly("service:web");
        assertThat(resources.byName(EnvoyType.CLUSTER).keySet()).noneMatch(n -> n.contains("mesh-a"));
        assertThat(resources.byName(EnvoyType.SECRET)).isEmpty();
    }

    @Test
    void aGatewayMeshWithMtlsOffOffersNothing() {
        String yaml = XdsFixtures.read(INPUT).replaceFirst("(?s)name: mesh-a\nmtls:.*?---", "name: mesh-a\n---");
        ProxyContext proxy = proxy(yaml);
        ResourceSet resources = Profiles.envoy().generate(proxy);

        assertThat(proxy.mesh().crossMesh().reachable()).isEmpty();
        assertThat(resources.byName(EnvoyType.CLUSTER).keySet()).noneMatch(n -> n.contains("mesh-a"));
        assertThat(resources.byName(EnvoyType.SECRET).keySet())
                .containsExactlyInAnyOrder("identity_cert:secret:mesh-b", "mesh_ca:secret:mesh-b");
    }

    @Test
    void twoMeshesWithTheirOwnCasAndNoCrossMeshListenerGiveEachOtherNothing() {
        String yaml = XdsFixtures.read(INPUT).replace("crossMesh: true", "crossMesh: false");
        ProxyContext proxy = proxy(yaml);
        ResourceSet resources = Profiles.envoy().generate(proxy);
        String all = XdsYaml.toTree(resources).toString();

        assertThat(proxy.mesh().crossMesh().reachable()).isEmpty();
        assertThat(proxy.mesh().crossMesh().caRoots()).isEmpty();
        assertThat(proxy.mtls().orElseThrow().trustedMeshes()).containsExactly("mesh-b");
        assertThat(all).doesNotContain("mesh-a").doesNotContain("192.168.1.");
        assertThat(proxy.mesh().vips().table().vips().keySet()).extracting(VipEntry::key)
                .containsExactly("service:web");
    }

    @Test
    void aTrafficRouteNamingAnotherMeshWithoutCrossMeshListenersOpensNothing() {
        String yaml = XdsFixtures.read(INPUT).replace("crossMesh: true", "crossMesh: false")
                .replace("conf: {destination: {kuma.io/service: '*'}}",
                        "conf: {destination: {kuma.io/service: '*'}}\n---\ntype: TrafficRoute\nmesh: mesh-b\n"
                                + "name: to-api\nsources: [{match: {kuma.io/service: web}}]\n"
                                + "destinations: [{match: {kuma.io/service: api}}]\n"
                                + "conf: {destination: {kuma.io/service: api, kuma.io/mesh: mesh-a}}");
        ProxyContext proxy = proxy(yaml);

        assertThat(XdsYaml.toTree(Profiles.envoy().generate(proxy)).toString()).doesNotContain("mesh-a");
    }

    @Test
    void theReachingMeshsContextHashFollowsTheOtherMeshsCrossMeshListenersAndGatewayDataplanes() {
        String yaml = XdsFixtures.read(INPUT);
        String moved = yaml.replace("address: 192.168.1.10", "address: 192.168.1.11");
        String closed = yaml.replace("crossMesh: true", "crossMesh: false");
        String sidecarChanged = yaml.replace("address: 192.168.1.20", "address: 192.168.1.21");

        assertThat(hash(yaml, "mesh-b")).isEqualTo(hash(yaml, "mesh-b"))
                .isNotEqualTo(hash(moved, "mesh-b")).isNotEqualTo(hash(closed, "mesh-b"))
                .as("a change to the other mesh's sidecars is none of this mesh's business")
                .isEqualTo(hash(sidecarChanged, "mesh-b"));
    }

    @Test
    void theGatewayMeshsContextListsItsOwnListenersAsOffered() {
        MeshContext gatewayMesh = new MeshContextBuilder(XdsFixtures.store(XdsFixtures.read(INPUT)),
                ResourceTypes.standard()).build("mesh-a").orElseThrow();

        assertThat(gatewayMesh.crossMesh().reachable()).isEmpty();
        assertThat(gatewayMesh.crossMesh().offered()).extracting(CrossMeshListener::hostname)
                .containsExactly("edge.mesh-a.test", "internal.edge.mesh-a.mesh");
        assertThat(gatewayMesh.crossMesh().offered().get(0).endpoints()).singleElement()
                .satisfies(e -> assertThat(e.dataplane()).isEqualTo("edge-gateway-1"));
    }

    @Test
    void aProxylessClientGetsTheHostnameAndPortAsItsListenerAndTrustsTheGatewayMeshOnlyOnThatCluster()
            throws InvalidProtocolBufferException {
        ProxyContext proxy = XdsFixtures.firstProxy(XdsFixtures.read(INPUT), INPUT.toString())
                .withMetadata(ProxyMetadata.grpc());
        ResourceSet resources = Profiles.forKind(ProxyKind.GRPC).generate(proxy);

        StrictEnvoyProtos.check(resources);
        GoldenFiles.assertMatches(FOLDER.resolve("gateway-grpc.golden.yaml"), XdsYaml.toTree(resources));
        assertThat(resources.byName(EnvoyType.LISTENER).keySet())
                .contains("edge.mesh-a.test:8080", "internal.edge.mesh-a.mesh:9090");
        Cluster cluster = resources.get(Cluster.class, CLUSTER).orElseThrow();
        CommonTlsContext common = cluster.getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class)
                .getCommonTlsContext();
        assertThat(common.getTlsCertificateProviderInstance().getInstanceName())
                .isEqualTo(GrpcBootstrap.CERTIFICATE_PROVIDER);
        assertThat(common.getValidationContext().getCaCertificateProviderInstance().getInstanceName())
                .isEqualTo(GrpcBootstrap.CROSS_MESH_CERTIFICATE_PROVIDER);
        assertThat(common.getValidationContext().getMatchSubjectAltNames(0).getExact())
                .isEqualTo("spiffe://mesh-a/edge-gateway");
        assertThat(resources.resources(Cluster.class)).filteredOn(c -> !c.getName().contains("mesh-a"))
                .allSatisfy(c -> assertThat(c.getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class)
                        .getCommonTlsContext().getValidationContext().getCaCertificateProviderInstance()
                        .getInstanceName()).isEqualTo(GrpcBootstrap.CERTIFICATE_PROVIDER));
        Secret bundle = resources.get(Secret.class, EnvoyNames.crossMeshCaSecret("mesh-b")).orElseThrow();
        assertThat(bundle.getValidationContext().getTrustedCa().getInlineBytes().toStringUtf8())
                .isEqualTo(XdsFixtures.read(XdsFixtures.MTLS.resolve("ca-2.pem")));
    }

    @Test
    void aProxylessClientOfAMeshWithMtlsOffGetsNoListenerForTheHostname() {
        String yaml = XdsFixtures.read(INPUT).replaceFirst("(?s)name: mesh-b\nmtls:.*?---", "name: mesh-b\n---");
        ProxyContext proxy = XdsFixtures.firstProxy(yaml, INPUT.toString()).withMetadata(ProxyMetadata.grpc());

        assertThat(Profiles.forKind(ProxyKind.GRPC).generate(proxy).byName(EnvoyType.LISTENER).keySet())
                .noneMatch(name -> name.contains("mesh-a"));
    }

    private static String hash(String yaml, String mesh) {
        return new MeshContextBuilder(XdsFixtures.store(yaml), ResourceTypes.standard()).build(mesh).orElseThrow()
                .hash();
    }

    private static ResourceSet generate(String yaml) {
        return Profiles.envoy().generate(proxy(yaml));
    }

    private static ProxyContext proxy(String yaml) {
        ProxyContext proxy = XdsFixtures.firstProxy(yaml, INPUT.toString());
        return proxy.withMetadata(proxy.metadata().withDnsPorts(DNS_PORT, EMPTY_DNS_PORT));
    }
}
