package io.ursa.xds.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.envoy.StrictEnvoyYaml;
import io.ursa.xds.generator.Profiles;
import io.ursa.xds.resources.ResourceSet;
import io.ursa.xds.testing.GoldenFiles;
import io.ursa.xds.testing.StrictEnvoyProtos;
import io.ursa.xds.testing.XdsFixtures;
import io.ursa.xds.testing.XdsYaml;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Golden files of the builtin gateway's profile. Compared with Kuma 2.0's goldens
 * ({@code pkg/plugins/runtime/gateway/testdata/}): the same names ({@code <gateway>:<PROTOCOL>:<port>} for
 * listeners and route configurations, {@code <service>-<hash>} clusters, {@code cert.<type>:secret:<name>}
 * secrets) and shapes, with these deliberate differences: no {@code gateway.listeners} Runtime (Ursa serves no
 * RTDS; a connection limit is Envoy's connection_limit filter), routes with equal specificity and the weighted
 * clusters of a route in a stable order (Kuma's is random), certificate secrets as inline strings of the PEM blocks
 * as found, and one chain for a cross-mesh listener.
 */
class GatewayGeneratorTest {
    private static final Path FOLDER = XdsFixtures.TESTDATA.resolve("gateway");
    private static final String INPUT = ".input.yaml";

    @Test
    void aGatewayWithHttpHttpsAndTcpListenersMatchesItsGolden() {
        assertGoldenAndStrictlyEnvoy("full");
    }

    @Test
    void aGatewayWithACrossMeshListenerMatchesItsGolden() {
        assertGoldenAndStrictlyEnvoy("cross-mesh");
    }

    /** The profile's output is the golden file, and each of its resources parses strictly as its Envoy v3 type. */
    private static void assertGoldenAndStrictlyEnvoy(String name) {
        Path golden = FOLDER.resolve(name + ".golden.yaml");
        ResourceSet resources = Profiles.gateway().generate(proxy(name));

        StrictEnvoyProtos.check(resources);
        GoldenFiles.assertMatches(golden, XdsYaml.toTree(resources));
        for (JsonNode entry : GoldenFiles.readYaml(golden).path("resources")) {
            Message parsed = StrictEnvoyYaml.parseTyped(GoldenFiles.toYaml(entry.path("resource")));
            assertThat(parsed.getAllFields()).as(entry.path("name").asText()).isNotEmpty();
        }
    }

    @Test
    void httpsListenerHasAChainPerHostnameBySniWithItsOwnCertificate() throws Exception {
        ResourceSet resources = Profiles.gateway().generate(proxy("full"));

        Listener https = resources.get(Listener.class, "edge-gateway:HTTPS:8443").orElseThrow();
        assertThat(https.getFilterChainsList()).extracting(c -> List.copyOf(c.getFilterChainMatch().getServerNamesList()))
                .containsExactly(List.of("www.example.com"), List.of("api.example.com"));
        DownstreamTlsContext www = tls(https.getFilterChains(0));
        DownstreamTlsContext api = tls(https.getFilterChains(1));
        assertThat(www.getCommonTlsContext().getTlsCertificateSdsSecretConfigs(0).getName())
                .isEqualTo("cert.ecdsa:secret:www-example-com");
        assertThat(api.getCommonTlsContext().getTlsCertificateSdsSecretConfigs(0).getName())
                .isEqualTo("cert.rsa:secret:api-example-com");
        assertThat(resources.get(Secret.class, "cert.rsa:secret:api-example-com").orElseThrow()
                .getTlsCertificate().getCertificateChain().getInlineString()).startsWith("-----BEGIN CERTIFICATE");
        assertThat(resources.get(Secret.class, "cert.ecdsa:secret:www-example-com")).isPresent();
        assertThat(www.getRequireClientCertificate().getValue()).isFalse();
    }

    @Test
    void theGatewaysCertificatesAndKeysGoToTheGatewayProxyOnlyNotToTheSidecarsOfItsMesh() {
        ProxyContext gateway = proxy("full");
        assertThat(Profiles.forProxy(gateway).generate(gateway).resources(Secret.class))
                .extracting(Secret::getName).contains("cert.rsa:secret:api-example-com");

        for (String sidecar : List.of("web-v1", "web-v2", "api-1", "db-1")) {
            ProxyContext proxy = gateway.mesh().proxy(sidecar).orElseThrow()
                    .withIdentity(gateway.identity().orElseThrow());
            assertThat(Profiles.forProxy(proxy).generate(proxy).resources(Secret.class)).as(sidecar)
                    .extracting(Secret::getName).noneMatch(name -> name.startsWith("cert."));
        }
    }

    @Test
    void routesComeOverRdsNamedAsTheListenerWithHostsMostSpecificFirst() throws Exception {
        ResourceSet resources = Profiles.gateway().generate(proxy("full"));

        HttpConnectionManager hcm = hcm(resources.get(Listener.class, "edge-gateway:HTTPS:8443").orElseThrow()
                .getFilterChains(0));
        assertThat(hcm.getRds().getRouteConfigName()).isEqualTo("edge-gateway:HTTPS:8443");
        RouteConfiguration routes = resources.get(RouteConfiguration.class, "edge-gateway:HTTPS:8443").orElseThrow();
        assertThat(routes.getVirtualHostsList()).extracting(VirtualHost::getName)
                .containsExactly("www.example.com", "api.example.com");
        // the route names api.example.com only: www.example.com has none and answers 404
        assertThat(routes.getVirtualHosts(0).getRoutes(0).getDirectResponse().getStatus()).isEqualTo(404);
        assertThat(routes.getVirtualHosts(1).getRoutes(0).getRoute().getWeightedClusters().getClusters(0)
                .getName()).startsWith("api-");
        assertThat(routes.getVirtualHosts(1).getRequireTls()).isEqualTo(VirtualHost.TlsRequirementType.ALL);
    }

    @Test
    void routesAreOrderedAsKumaSortsThem() {
        RouteConfiguration routes = Profiles.gateway().generate(proxy("full"))
                .get(RouteConfiguration.class, "edge-gateway:HTTP:8080").orElseThrow();

        List<Route> list = routes.getVirtualHosts(0).getRoutesList();
        // exact paths longest first, then prefixes longest first, then the regex
        assertThat(list).extracting(r -> r.getMatch().getPath() + r.getMatch().getPrefix()
                        + r.getMatch().getSafeRegex().getRegex())
                .containsExactly("/headers", "/prefix", "/exact", "/full", "/old", "/v1", "/headers/", "/prefix/",
                        "/v1/", "/regex/[a-z]+");
    }

    @Test
    void meshClustersGetMeshMtlsAndTheirDestinationsEndpoints() throws Exception {
        ResourceSet resources = Profiles.gateway().generate(proxy("full"));

        Cluster v1 = resources.resources(Cluster.class).stream()
                .filter(c -> c.getTransportSocket().hasTypedConfig())
                .filter(c -> unpackUpstream(c).getSni().equals("web{mesh=default,version=v1}"))
                .findFirst().orElseThrow();
        assertThat(v1.getName()).matches("web-[0-9a-f]{16}");
        ClusterLoadAssignment cla = resources.get(ClusterLoadAssignment.class, v1.getName()).orElseThrow();
        assertThat(cla.getEndpointsList()).flatExtracting(e -> e.getLbEndpointsList())
                .extracting(e -> e.getEndpoint().getAddress().getSocketAddress().getAddress())
                .containsExactly("192.168.1.10");
    }

    @Test
    void tcpListenerProxiesToTheRoutesBackendWithTheRetrysConnectAttempts() throws Exception {
        ResourceSet resources = Profiles.gateway().generate(proxy("full"));

        Listener tcp = resources.get(Listener.class, "edge-gateway:TCP:9000").orElseThrow();
        TcpProxy proxy = tcp.getFilterChains(0).getFilters(0).getTypedConfig().unpack(TcpProxy.class);
        assertThat(proxy.getCluster()).startsWith("db-");
        assertThat(proxy.getMaxConnectAttempts().getValue()).isEqualTo(5);
        assertThat(resources.get(RouteConfiguration.class, "edge-gateway:TCP:9000")).isEmpty();
    }

    @Test
    void aConnectionLimitIsEnvoysConnectionLimitFilterFirstInTheListenersChains() throws Exception {
        String yaml = XdsFixtures.read(FOLDER.resolve("full" + INPUT))
                .replace("    tags: {port: tcp}", "    tags: {port: tcp}\n    resources: {connectionLimit: 100}");
        ResourceSet resources = Profiles.gateway().generate(XdsFixtures.firstProxy(yaml, "limited"));

        StrictEnvoyProtos.check(resources);
        FilterChain chain = resources.get(Listener.class, "edge-gateway:TCP:9000").orElseThrow().getFilterChains(0);
        assertThat(chain.getFilters(0).getName()).isEqualTo("envoy.filters.network.connection_limit");
        assertThat(chain.getFilters(0).getTypedConfig().unpack(io.envoyproxy.envoy.extensions.filters.network
                .connection_limit.v3.ConnectionLimit.class).getMaxConnections().getValue()).isEqualTo(100);
        assertThat(chain.getFilters(1).getName()).isEqualTo("envoy.filters.network.tcp_proxy");
        assertThat(resources.get(Listener.class, "edge-gateway:HTTP:8080").orElseThrow().getFilterChains(0)
                .getFilters(0).getName()).isEqualTo("envoy.filters.network.http_connection_manager");
    }

    @Test
    void anExternalServiceBackendGetsItsExternalClusterWithoutEndpointsOrMeshTags() {
        String yaml = XdsFixtures.read(FOLDER.resolve("full" + INPUT)).replace(
                "backends: [{destination: {kuma.io/service: api}}]\n---\ntype: MeshGatewayRoute\nmesh: default\n"
                        + "name: tcp-db", "backends: [{destination: {kuma.io/service: httpbin}}]\n---\n"
                        + "type: MeshGatewayRoute\nmesh: default\nname: tcp-db") + """
                ---
                type: ExternalService
                mesh: default
                name: httpbin
                tags: {kuma.io/service: httpbin, kuma.io/protocol: http}
                networking: {address: 'httpbin.org:80'}
                """;
        ResourceSet resources = Profiles.gateway().generate(XdsFixtures.firstProxy(yaml, "external"));

        StrictEnvoyProtos.check(resources);
        Route route = resources.get(RouteConfiguration.class, "edge-gateway:HTTPS:8443").orElseThrow()
                .getVirtualHosts(1).getRoutes(0);
        var weighted = route.getRoute().getWeightedClusters().getClusters(0);
        assertThat(weighted.getName()).startsWith("httpbin-");
        assertThat(weighted.getRequestHeadersToAddList()).isEmpty();
        Cluster cluster = resources.get(Cluster.class, weighted.getName()).orElseThrow();
        assertThat(cluster.getType()).isEqualTo(Cluster.DiscoveryType.STRICT_DNS);
        assertThat(cluster.hasTransportSocket()).as("no mesh mTLS toward a server outside the mesh").isFalse();
        assertThat(resources.get(ClusterLoadAssignment.class, weighted.getName())).isEmpty();
    }

    @Test
    void aProxyTemplateMayImportTheGatewayProfile() {
        String yaml = XdsFixtures.read(FOLDER.resolve("full" + INPUT)) + """
                ---
                type: ProxyTemplate
                mesh: default
                name: gateway-template
                selectors: [{match: {kuma.io/service: edge}}]
                conf:
                  imports: [gateway-proxy]
                  modifications:
                  - listener: {operation: patch, match: {name: 'edge-gateway:TCP:9000'}, value: 'tcpBacklogSize: 7'}
                """;
        ProxyContext proxy = XdsFixtures.firstProxy(yaml, "template");

        ResourceSet resources = io.ursa.xds.generator.template.ProxyTemplates.generate(proxy);

        assertThat(resources.get(Listener.class, "edge-gateway:TCP:9000").orElseThrow().getTcpBacklogSize()
                .getValue()).isEqualTo(7);
        assertThat(resources.get(RouteConfiguration.class, "edge-gateway:HTTP:8080")).isPresent();
    }

    static ProxyContext proxy(String name) {
        return XdsFixtures.firstProxy(FOLDER.resolve(name + INPUT));
    }

    static DownstreamTlsContext tls(FilterChain chain) throws InvalidProtocolBufferException {
        return chain.getTransportSocket().getTypedConfig().unpack(DownstreamTlsContext.class);
    }

    static HttpConnectionManager hcm(FilterChain chain) throws InvalidProtocolBufferException {
        for (var filter : chain.getFiltersList()) {
            if (filter.getTypedConfig().is(HttpConnectionManager.class)) {
                return filter.getTypedConfig().unpack(HttpConnectionManager.class);
            }
        }
        throw new AssertionError("no HTTP connection manager in " + chain);
    }

    private static UpstreamTlsContext unpackUpstream(Cluster cluster) {
        try {
            return cluster.getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
