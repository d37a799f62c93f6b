package io.ursa.xds.generator;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.zoneegress.ZoneEgressSpec;
import io.ursa.ca.MeshCa;
import io.ursa.core.store.ResourceStore;
import io.ursa.xds.context.MeshContext;
import io.ursa.xds.context.MeshContextBuilder;
import io.ursa.xds.context.MeshMtls;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.context.ProxyMetadata;
import io.ursa.xds.context.ZoneEgressProxy;
import io.ursa.xds.resources.ResourceSet;
import io.ursa.xds.testing.GoldenFiles;
import io.ursa.xds.testing.StrictEnvoyProtos;
import io.ursa.xds.testing.XdsFixtures;
import io.ursa.xds.testing.XdsYaml;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Zone egress (mesh-spec §6.2): the egress's own configuration over several meshes, and what the sidecars of a mesh
 * with zone egress on get instead of a direct cluster.
 */
class ZoneEgressGeneratorTest {
    private static final Path EGRESS = XdsFixtures.TESTDATA.resolve("egress");
    private static final Path OUTBOUND = XdsFixtures.TESTDATA.resolve("outbound");

    @Test
    void twoMeshesMatchTheGoldenFileAndEnvoyProtos() {
        ResourceSet resources = ZoneEgressGenerator.generate(egress("two-meshes"));

        StrictEnvoyProtos.check(resources);
        GoldenFiles.assertMatches(EGRESS.resolve("two-meshes.golden.yaml"), XdsYaml.toTree(resources));
    }

    @Test
    void eachMeshGetsItsOwnChainsClusterAndSecretsAndAMeshWithoutZoneEgressNone() throws Exception {
        ResourceSet resources = ZoneEgressGenerator.generate(egress("two-meshes"));

        Listener listener = resources.get(Listener.class, "inbound:192.168.0.100:10002").orElseThrow();
        assertThat(listener.getListenerFilters(0).getName()).isEqualTo("envoy.filters.listener.tls_inspector");
        assertThat(listener.getFilterChainsList()).extracting(c -> c.getFilterChainMatch().getServerNames(0))
                .containsExactly("httpbin{mesh=default}", "httpbin{mesh=default,version=v1}",
                        "httpbin{mesh=shop}", "postgres{mesh=shop}");
        assertThat(resources.resources(Cluster.class)).extracting(Cluster::getName)
                .contains("default:httpbin", "shop:httpbin", "shop:postgres")
                .doesNotContain("other:httpbin");
        assertThat(resources.resources(Secret.class)).extracting(Secret::getName).containsExactlyInAnyOrder(
                "identity_cert:secret:default", "mesh_ca:secret:default",
                "identity_cert:secret:shop", "mesh_ca:secret:shop");

        FilterChain shop = listener.getFilterChains(2);
        DownstreamTlsContext tls = shop.getTransportSocket().getTypedConfig().unpack(DownstreamTlsContext.class);
        assertThat(tls.getRequireClientCertificate().getValue()).isTrue();
        assertThat(tls.getCommonTlsContext().getTlsCertificateSdsSecretConfigs(0).getName())
                .isEqualTo("identity_cert:secret:shop");
        assertThat(tls.getCommonTlsContext().getCombinedValidationContext().getDefaultValidationContext()
                .getMatchTypedSubjectAltNames(0).getMatcher().getPrefix())
                .as("clients of that mesh only").isEqualTo("spiffe://shop/");
        assertThat(shop.getFilterChainMatch().getTransportProtocol()).isEqualTo("tls");
    }

    @Test
    void theEgressEnforcesTrafficPermissionFaultsAndRateLimitsAndOriginatesTheExternalTls() throws Exception {
        ResourceSet resources = ZoneEgressGenerator.generate(egress("two-meshes"));
        Listener listener = resources.get(Listener.class, "inbound:192.168.0.100:10002").orElseThrow();

        FilterChain httpbin = listener.getFilterChains(0);
        RBAC rbac = httpbin.getFilters(0).getTypedConfig().unpack(RBAC.class);
        assertThat(rbac.getRules().getPoliciesMap()).containsOnlyKeys("web-to-httpbin");
        assertThat(rbac.getRules().getPoliciesMap().get("web-to-httpbin").getPrincipals(0).getAuthenticated()
                .getPrincipalName().getExact()).isEqualTo("spiffe://default/web");
        HttpConnectionManager hcm = httpbin.getFilters(1).getTypedConfig().unpack(HttpConnectionManager.class);
        assertThat(hcm.getHttpFiltersList()).extracting(f -> f.getName()).containsExactly(
                "envoy.filters.http.fault", "envoy.filters.http.local_ratelimit", "envoy.filters.http.router");
        var routes = hcm.getRouteConfig().getVirtualHosts(0).getRoutesList();
        assertThat(routes).hasSize(2);
        assertThat(routes.get(0).getTypedPerFilterConfigMap()).containsKey("envoy.filters.http.local_ratelimit");
        assertThat(routes).allSatisfy(r -> {
            assertThat(r.getRoute().getCluster()).isEqualTo("default:httpbin");
            assertThat(r.getRoute().getAutoHostRewrite().getValue()).isTrue();
        });

        Cluster cluster = resources.get(Cluster.class, "default:httpbin").orElseThrow();
        assertThat(cluster.getType()).isEqualTo(Cluster.DiscoveryType.STRICT_DNS);
        assertThat(cluster.getTransportSocketMatches(0).getTransportSocket().getTypedConfig()
                .unpack(UpstreamTlsContext.class).getSni()).isEqualTo("httpbin.org");
        FilterChain postgres = listener.getFilterChains(3);
        Filter last = postgres.getFilters(postgres.getFiltersCount() - 1);
        assertThat(last.getName()).isEqualTo("envoy.filters.network.tcp_proxy");
        assertThat(resources.get(Cluster.class, "shop:postgres").orElseThrow().getType())
                .isEqualTo(Cluster.DiscoveryType.STATIC);
    }

    @Test
    void noExternalServiceGivesNoListenerOnlyTheAdminAndSecrets() {
        ResourceStore store = XdsFixtures.store(XdsFixtures.read(EGRESS.resolve("two-meshes.input.yaml"))
                .replaceAll("(?s)---\ntype: ExternalService.*", ""));
        ResourceSet resources = ZoneEgressGenerator.generate(egress(store));

        assertThat(resources.resources(Listener.class)).extracting(Listener::getName)
                .containsExactly("kuma:envoy:admin");
    }

    @Test
    void sidecarsGoThroughTheEgressesWithMeshMtlsAndLeaveTheRateLimitToThem() throws Exception {
        ProxyContext proxy = XdsFixtures.firstProxy(OUTBOUND.resolve("external-zone-egress.input.yaml"));
        ResourceSet resources = new OutboundGenerator().generate(proxy);

        Cluster cluster = resources.get(Cluster.class, "httpbin").orElseThrow();
        assertThat(cluster.getType()).isEqualTo(Cluster.DiscoveryType.EDS);
        assertThat(cluster.hasLoadAssignment()).isFalse();
        UpstreamTlsContext tls = cluster.getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class);
        assertThat(tls.getSni()).isEqualTo("httpbin{mesh=default}");
        assertThat(tls.getCommonTlsContext().getCombinedValidationContext().getDefaultValidationContext()
                .getMatchTypedSubjectAltNames(0).getMatcher().getExact()).isEqualTo("spiffe://default/zone-egress");
        ClusterLoadAssignment endpoints = resources.get(ClusterLoadAssignment.class, "httpbin").orElseThrow();
        assertThat(endpoints.getEndpoints(0).getLbEndpointsList())
                .extracting(e -> e.getEndpoint().getAddress().getSocketAddress().getAddress())
                .containsExactly("192.168.0.100", "192.168.0.101");
        HttpConnectionManager hcm = unpack(resources.get(Listener.class, "outbound:127.0.0.1:10001").orElseThrow());
        assertThat(hcm.getHttpFiltersList()).extracting(f -> f.getName())
                .doesNotContain("envoy.filters.http.local_ratelimit");
    }

    @Test
    void withoutAZoneEgressTheExternalServiceHasNoEndpointsRatherThanADirectPath() {
        String yaml = XdsFixtures.read(OUTBOUND.resolve("external-zone-egress.input.yaml"))
                .replaceAll("(?s)---\ntype: ZoneEgress\nname: egress-\\d\nnetworking: \\{[^}]*\\}\n", "");
        ResourceSet resources = new OutboundGenerator().generate(XdsFixtures.firstProxy(yaml, "no egress"));

        assertThat(resources.get(Cluster.class, "httpbin").orElseThrow().getType())
                .isEqualTo(Cluster.DiscoveryType.EDS);
        assertThat(resources.get(ClusterLoadAssignment.class, "httpbin").orElseThrow().getEndpointsCount())
                .isZero();
    }

    @Test
    void aPermissiveMeshStillSendsMtlsToTheEgress() throws Exception {
        String yaml = XdsFixtures.read(OUTBOUND.resolve("external-zone-egress.input.yaml"))
                .replace("  - name: ca-1\n    type: provided\n", "  - name: ca-1\n    type: provided\n    mode: PERMISSIVE\n");
        ResourceSet resources = new OutboundGenerator().generate(XdsFixtures.firstProxy(yaml, "permissive"));

        assertThat(resources.get(Cluster.class, "httpbin").orElseThrow().hasTransportSocket()).isTrue();
    }

    private static HttpConnectionManager unpack(Listener listener) throws InvalidProtocolBufferException {
        List<Filter> filters = listener.getFilterChains(0).getFiltersList();
        return filters.get(filters.size() - 1).getTypedConfig().unpack(HttpConnectionManager.class);
    }

    private static ZoneEgressProxy egress(String input) {
        return egress(XdsFixtures.store(XdsFixtures.read(EGRESS.resolve(input + ".input.yaml"))));
    }

    private static ZoneEgressProxy egress(ResourceStore store) {
        MeshContextBuilder builder = new MeshContextBuilder(store, ResourceTypes.standard());
        List<ZoneEgressProxy.Served> served = new ArrayList<>();
        for (String mesh : builder.zoneEgressMeshes()) {
            MeshContext context = builder.build(mesh).orElseThrow();
            MeshCa ca = context.mtls().flatMap(MeshMtls::ca).orElseThrow();
            served.add(new ZoneEgressProxy.Served(context, XdsFixtures.testIdentity(ca)));
        }
        var zoneEgress = store.get(ResourceTypes.ZONE_EGRESS, "", "egress-1").orElseThrow();
        ZoneEgressSpec.Networking networking = zoneEgress.spec().networking();
        return new ZoneEgressProxy(zoneEgress, ProxyMetadata.envoy(networking.adminPort()), served);
    }
}
