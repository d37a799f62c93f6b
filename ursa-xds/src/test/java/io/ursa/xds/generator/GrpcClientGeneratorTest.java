package io.ursa.xds.generator;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.ursa.api.dataplane.GrpcBootstrap;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.xds.context.MeshContextBuilder;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.context.ProxyMetadata;
import io.ursa.xds.resources.EnvoyType;
import io.ursa.xds.resources.ResourceSet;
import io.ursa.xds.testing.XdsFixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

class GrpcClientGeneratorTest {
    private final GrpcClientGenerator generator = new GrpcClientGenerator();

    @Test
    void aChannelToXdsBackendFindsAListenerNamedBackendWithAnInlineRouteForItsAuthority() {
        ResourceSet resources = generate(GrpcProfileTest.proxy("single-service"));

        HttpConnectionManager hcm = hcm(resources.get(Listener.class, "backend").orElseThrow());
        VirtualHost host = hcm.getRouteConfig().getVirtualHosts(0);
        assertThat(host.getDomainsList()).containsExactly("backend");
        assertThat(host.getRoutes(0).getRoute().getCluster()).isEqualTo("backend");
        assertThat(hcm.getHttpFiltersList()).extracting(f -> f.getName()).containsExactly("envoy.filters.http.router");
        assertThat(resources.get(Cluster.class, "backend").orElseThrow().getType())
                .isEqualTo(Cluster.DiscoveryType.EDS);
        assertThat(addresses(resources.get(ClusterLoadAssignment.class, "backend").orElseThrow()))
                .containsExactly("192.168.0.2:50051");
        assertThat(resources.byName(EnvoyType.ROUTE_CONFIGURATION)).as("no RDS: routes are inline").isEmpty();
    }

    @Test
    void eachProxyGetsOnlyTheBackendOfItsOwnMesh() {
        ProxyContext meshA = GrpcProfileTest.proxy("two-meshes");
        ProxyContext meshB = new MeshContextBuilder(XdsFixtures.store(XdsFixtures.read(
                GrpcProfileTest.FOLDER.resolve("two-meshes" + GrpcProfileTest.INPUT))), ResourceTypes.standard())
                .build("mesh-b").orElseThrow().proxy("web-b").orElseThrow().withMetadata(ProxyMetadata.grpc());

        assertThat(addresses(generate(meshA).get(ClusterLoadAssignment.class, "backend").orElseThrow()))
                .containsExactly("10.0.1.1:50051");
        assertThat(addresses(generate(meshB).get(ClusterLoadAssignment.class, "backend").orElseThrow()))
                .containsExactly("10.0.2.1:50052");
    }

    @Test
    void aSplitBecomesWeightedClustersEachWithOnlyItsVersionsApplications() {
        ResourceSet resources = generate(GrpcProfileTest.proxy("split-80-20"));

        RouteAction action = hcm(resources.get(Listener.class, "backend").orElseThrow()).getRouteConfig()
                .getVirtualHosts(0).getRoutes(0).getRoute();
        assertThat(action.getWeightedClusters().getClustersList())
                .extracting(c -> c.getName() + "=" + c.getWeight().getValue())
                .containsExactly("backend-_0_=80", "backend-_1_=20");
        assertThat(addresses(resources.get(ClusterLoadAssignment.class, "backend-_0_").orElseThrow()))
                .as("the servicePort, where the application itself listens")
                .containsExactly("192.168.0.5:50051", "192.168.0.6:50051");
        assertThat(addresses(resources.get(ClusterLoadAssignment.class, "backend-_1_").orElseThrow()))
                .as("the advertised address of a Dataplane behind NAT")
                .containsExactly("203.0.113.7:50051");
        assertThat(resources.byName(EnvoyType.CLUSTER).keySet()).doesNotContain("backend");
    }

    @Test
    void theDefaultPoliciesBecomeADeadlineAndARouteRetryPolicy() {
        ResourceSet resources = generate(GrpcProfileTest.proxy("default-policies"));

        HttpConnectionManager hcm = hcm(resources.get(Listener.class, "backend").orElseThrow());
        VirtualHost host = hcm.getRouteConfig().getVirtualHosts(0);
        RouteAction action = host.getRoutes(0).getRoute();
        assertThat(action.getMaxStreamDuration().getMaxStreamDuration().getSeconds()).isEqualTo(15);
        assertThat(action.hasTimeout()).as("grpc-xds ignores the route timeout").isFalse();
        assertThat(host.hasRetryPolicy()).as("grpc-xds ignores a virtual host retry policy").isFalse();
        assertThat(action.getRetryPolicy().getRetryOn()).isEqualTo("cancelled,resource-exhausted,unavailable");
        assertThat(action.getRetryPolicy().getNumRetries().getValue()).isEqualTo(5);
        assertThat(action.getRetryPolicy().getRetryBackOff().getMaxInterval().getNanos()).isEqualTo(250_000_000);
        assertThat(action.getRetryPolicy().hasPerTryTimeout()).isFalse();
    }

    @Test
    void anExplicitOutboundWithoutEndpointsStillGetsItsResources() {
        ResourceSet resources = generate(GrpcProfileTest.proxy("default-policies"));

        assertThat(resources.get(Listener.class, "ghost")).isPresent();
        assertThat(resources.get(ClusterLoadAssignment.class, "ghost").orElseThrow().getEndpointsCount()).isZero();
    }

    @Test
    void withoutATrafficRouteThereIsNoClientSide() {
        assertThat(generate(GrpcProfileTest.proxy("server-two-inbounds")).isEmpty()).isTrue();
    }

    @Test
    void strictMtlsClustersVerifyTheServicesSpiffeIdWithTheCertificateProvider() throws InvalidProtocolBufferException {
        Cluster cluster = generate(GrpcProfileTest.proxy("mtls-strict")).get(Cluster.class, "backend").orElseThrow();

        UpstreamTlsContext tls = cluster.getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class);
        assertThat(cluster.getTransportSocket().getName()).isEqualTo("envoy.transport_sockets.tls");
        var common = tls.getCommonTlsContext();
        assertThat(common.getTlsCertificateProviderInstance().getInstanceName())
                .isEqualTo(GrpcBootstrap.CERTIFICATE_PROVIDER);
        assertThat(common.getValidationContext().getCaCertificateProviderInstance().getInstanceName())
                .isEqualTo(GrpcBootstrap.CERTIFICATE_PROVIDER);
        assertThat(common.getValidationContext().getMatchSubjectAltNamesList()).extracting(m -> m.getExact())
                .containsExactly("spiffe://default/backend");
    }

    @Test
    void permissiveMtlsClustersArePlaintext() {
        assertThat(generate(GrpcProfileTest.proxy("mtls-permissive")).resources(Cluster.class)).isNotEmpty()
                .allSatisfy(cluster -> assertThat(cluster.hasTransportSocket()).isFalse());
    }

    @Test
    void onlyIpLiteralsAreEndpoints() {
        assertThat(List.of("10.0.0.1", "0.0.0.0", "fd00::1", "::", "::ffff:10.0.0.1"))
                .allMatch(GrpcClientGenerator::isIpLiteral);
        assertThat(List.of("backend.svc", "300.1.1.1", "10.0.0", "dead:beef:zz", "localhost", ""))
                .noneMatch(GrpcClientGenerator::isIpLiteral);
    }

    private ResourceSet generate(ProxyContext proxy) {
        return generator.generate(proxy);
    }

    @Test
    void externalServicesAreReachedDirectlyInTheFormsGrpcXdsAcceptsAndNeverWithMeshMtls() {
        ResourceSet resources = generate(GrpcProfileTest.proxy("external-services"));

        Cluster byIp = resources.get(Cluster.class, "ext-ip").orElseThrow();
        assertThat(byIp.getType()).isEqualTo(Cluster.DiscoveryType.EDS);
        assertThat(byIp.hasTransportSocket()).as("mesh mTLS to an address outside the mesh").isFalse();
        assertThat(addresses(resources.get(ClusterLoadAssignment.class, "ext-ip").orElseThrow()))
                .containsExactly("10.0.0.1:50051", "10.0.0.2:50051");
        Cluster byName = resources.get(Cluster.class, "ext-dns").orElseThrow();
        assertThat(byName.getType()).isEqualTo(Cluster.DiscoveryType.LOGICAL_DNS);
        assertThat(byName.hasTransportSocket()).isFalse();
        assertThat(byName.getLoadAssignment().getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress()
                .getSocketAddress().getAddress()).isEqualTo("api.example.com");
        assertThat(resources.get(ClusterLoadAssignment.class, "ext-tls").orElseThrow().getEndpointsCount())
                .as("TLS cannot be given to grpc-xds: no endpoint rather than plaintext").isZero();
        assertThat(resources.get(Cluster.class, "backend").orElseThrow().hasTransportSocket()).isTrue();
        assertThat(hcm(resources.get(Listener.class, "ext-dns").orElseThrow()).getRouteConfig().getVirtualHosts(0)
                .getDomainsList()).containsExactly("ext-dns");
    }

    private static HttpConnectionManager hcm(Listener listener) {
        try {
            return listener.getApiListener().getApiListener().unpack(HttpConnectionManager.class);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> addresses(ClusterLoadAssignment cla) {
        return cla.getEndpointsList().stream().flatMap(g -> g.getLbEndpointsList().stream())
                .map(e -> e.getEndpoint().getAddress().getSocketAddress())
                .map(a -> a.getAddress() + ":" + a.getPortValue())
                .toList();
    }
}
