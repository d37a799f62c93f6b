package io.ursa.xds.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import com.sun.net.httpserver.HttpServer;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.secret.SecretSpec;
import io.ursa.core.store.ResourceStore;
import io.ursa.xds.context.MeshContext;
import io.ursa.xds.context.MeshContextBuilder;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.resources.ResourceSet;
import io.ursa.xds.testing.XdsFixtures;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * ExternalServices as sidecar outbounds (envoy-config §3.8), on the inputs of the {@code external-*} golden cases
 * of {@link OutboundGeneratorTest}: the behaviour each golden file shows, asserted one by one.
 */
class ExternalServiceOutboundTest {
    private static final Path FOLDER = XdsFixtures.TESTDATA.resolve("outbound");

    private final OutboundGenerator generator = new OutboundGenerator();

    @Test
    void ipAddressesGiveAStaticClusterWithEveryEndpointInlineAndNeverMeshMtls() {
        ResourceSet resources = generator.generate(proxy(input("external-ip")));

        Cluster cluster = resources.get(Cluster.class, "es-http").orElseThrow();
        assertThat(cluster.getType()).isEqualTo(Cluster.DiscoveryType.STATIC);
        assertThat(cluster.getLoadAssignment().getEndpointsList()).flatExtracting(g -> g.getLbEndpointsList())
                .extracting(e -> e.getEndpoint().getAddress().getSocketAddress().getAddress() + ":"
                        + e.getEndpoint().getAddress().getSocketAddress().getPortValue())
                .containsExactly("10.0.0.1:10001", "10.0.0.2:10001");
        assertThat(cluster.hasTransportSocket()).as("mesh mTLS to an address outside the mesh").isFalse();
        assertThat(cluster.getTransportSocketMatchesList()).isEmpty();
        assertThat(cluster.hasEdsClusterConfig()).isFalse();
        assertThat(resources.get(ClusterLoadAssignment.class, "es-http")).isEmpty();
        assertThat(resources.get(Cluster.class, "backend").orElseThrow().hasTransportSocket())
                .as("the mesh service keeps mesh mTLS").isTrue();
        HttpConnectionManager hcm = unpack(resources.get(Listener.class, "outbound:127.0.0.1:10001")
                .orElseThrow(), HttpConnectionManager.class);
        assertThat(hcm.getRouteConfig().getVirtualHosts(0).getRoutes(0).getRoute().getAutoHostRewrite().getValue())
                .isTrue();
        HttpConnectionManager mesh = unpack(resources.get(Listener.class, "outbound:127.0.0.1:10002")
                .orElseThrow(), HttpConnectionManager.class);
        assertThat(mesh.getRouteConfig().getVirtualHosts(0).getRoutes(0).getRoute().hasAutoHostRewrite()).isFalse();
    }

    @Test
    void aHostNameGivesAStrictDnsClusterResolvingIpv4AndATcpOutboundWithoutHttpOptions() {
        ResourceSet resources = generator.generate(proxy(input("external-hostname")));

        Cluster cluster = resources.get(Cluster.class, "httpbin").orElseThrow();
        assertThat(cluster.getType()).isEqualTo(Cluster.DiscoveryType.STRICT_DNS);
        assertThat(cluster.getDnsLookupFamily()).isEqualTo(Cluster.DnsLookupFamily.V4_ONLY);
        assertThat(cluster.getLoadAssignment().getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress()
                .getSocketAddress().getAddress()).isEqualTo("httpbin.org");
        assertThat(cluster.getTypedExtensionProtocolOptionsMap()).isEmpty();
        assertThat(unpack(resources.get(Listener.class, "outbound:127.0.0.1:10080").orElseThrow(), TcpProxy.class)
                .getCluster()).isEqualTo("httpbin");
    }

    @Test
    void aProxyWithAnIpv6AddressResolvesHostNamesWithAuto() {
        String yaml = input("external-hostname").replace("address: 192.168.0.1", "address: fd00::1");

        Cluster cluster = generator.generate(proxy(yaml)).get(Cluster.class, "httpbin").orElseThrow();

        assertThat(cluster.getDnsLookupFamily()).isEqualTo(Cluster.DnsLookupFamily.AUTO);
    }

    @Test
    void tlsGetsOneTransportSocketMatchPerEndpointWithTheMaterialOfItsExternalService() throws Exception {
        Cluster cluster = generator.generate(proxy(input("external-tls"))).get(Cluster.class, "payments")
                .orElseThrow();

        assertThat(cluster.getTransportSocketMatchesList()).extracting(Cluster.TransportSocketMatch::getName)
                .containsExactly("eu.payments.example.com", "us.payments.example.com");
        var eu = cluster.getTransportSocketMatches(0);
        assertThat(eu.getMatch().getFieldsMap().get("kuma.io/external-service-name").getStringValue())
                .isEqualTo("payments-eu");
        UpstreamTlsContext euTls = eu.getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class);
        assertThat(euTls.getSni()).isEqualTo("payments.example.com");
        assertThat(euTls.getAllowRenegotiation()).isTrue();
        assertThat(euTls.getCommonTlsContext().getTlsCertificates(0).getCertificateChain().getInlineBytes()
                .toStringUtf8()).as("the client certificate from the mesh's Secret")
                .contains("client");
        assertThat(euTls.getCommonTlsContext().getValidationContext().getTrustedCa().getInlineBytes()
                .toStringUtf8()).contains("BEGIN CERTIFICATE-----\nca\n");
        @SuppressWarnings("deprecation")
        var sans = euTls.getCommonTlsContext().getValidationContext().getMatchSubjectAltNamesList();
        assertThat(sans).extracting(StringMatcher::getExact)
                .containsExactly("eu.payments.example.com", "payments.example.com");
        UpstreamTlsContext usTls = cluster.getTransportSocketMatches(1).getTransportSocket().getTypedConfig()
                .unpack(UpstreamTlsContext.class);
        assertThat(usTls.getSni()).isEqualTo("us.payments.example.com");
        assertThat(usTls.hasCommonTlsContext()).as("no CA: the server is not verified").isFalse();
        assertThat(cluster.getTypedExtensionProtocolOptionsMap()).containsKey(
                "envoy.extensions.upstreams.http.v3.HttpProtocolOptions");
    }

    @Test
    void anIpAddressIsNeverSentAsSni() throws Exception {
        String yaml = input("external-tls").replace("us.payments.example.com:443", "10.0.0.9:443")
                .replace("eu.payments.example.com:443", "10.0.0.8:443");

        Cluster cluster = generator.generate(proxy(yaml)).get(Cluster.class, "payments").orElseThrow();

        assertThat(cluster.getType()).isEqualTo(Cluster.DiscoveryType.STATIC);
        assertThat(cluster.getTransportSocketMatches(1).getTransportSocket().getTypedConfig()
                .unpack(UpstreamTlsContext.class).getSni()).isEmpty();
        assertThat(cluster.getTransportSocketMatches(0).getTransportSocket().getTypedConfig()
                .unpack(UpstreamTlsContext.class).getSni()).as("serverName still wins")
                .isEqualTo("payments.example.com");
    }

    @Test
    void aChangedSecretChangesTheMeshHashAndTheClusterItGoesInto() throws Exception {
        ResourceStore store = XdsFixtures.store(input("external-tls"));
        MeshContextBuilder builder = new MeshContextBuilder(store, ResourceTypes.standard());
        MeshContext before = builder.build("default").orElseThrow();
        var secret = store.get(ResourceTypes.SECRET, "default", "payments-client-cert").orElseThrow();
        store.update(secret.withSpec(SecretSpec.of("rotated".getBytes(StandardCharsets.UTF_8))));

        MeshContext after = builder.build("default").orElseThrow();

        assertThat(after.hash()).isNotEqualTo(before.hash());
        Cluster cluster = generator.generate(after.proxy("web-1").orElseThrow()).get(Cluster.class, "payments")
                .orElseThrow();
        assertThat(cluster.getTransportSocketMatches(0).getTransportSocket().getTypedConfig()
                .unpack(UpstreamTlsContext.class).getCommonTlsContext().getTlsCertificates(0).getCertificateChain()
                .getInlineBytes().toStringUtf8()).isEqualTo("rotated");
    }

    @Test
    void anExternalServiceWhoseSecretIsMissingIsLeftOutAndTheOthersOfItsServiceStay() {
        String yaml = input("external-tls").replace("name: payments-client-cert\n", "name: some-other-secret\n");

        Cluster cluster = generator.generate(proxy(yaml)).get(Cluster.class, "payments").orElseThrow();

        assertThat(cluster.getLoadAssignment().getEndpoints(0).getLbEndpointsList())
                .extracting(e -> e.getEndpoint().getAddress().getSocketAddress().getAddress())
                .containsExactly("us.payments.example.com");
    }

    @Test
    void ipAddressesAndHostNamesInOneServiceAreAGenerationErrorOfItsCallersOnly() {
        String yaml = input("external-hostname") + """
                ---
                type: ExternalService
                mesh: default
                name: httpbin-by-ip
                networking: {address: '10.0.0.7:80'}
                tags: {kuma.io/service: httpbin}
                ---
                type: Dataplane
                mesh: default
                name: bystander
                networking:
                  address: 192.168.0.9
                  inbound:
                  - port: 8080
                    tags: {kuma.io/service: bystander}
                """;
        ProxyContext caller = proxy(yaml);

        assertThatThrownBy(() -> Profiles.envoy().generate(caller))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cluster httpbin")
                .hasMessageContaining("[httpbin-by-ip, httpbin]")
                .hasMessageContaining("mix IP addresses [10.0.0.7] and host names [httpbin.org]");
        ProxyContext bystander = caller.mesh().proxy("bystander").orElseThrow();
        assertThat(Profiles.envoy().generate(bystander).isEmpty()).isFalse();
    }

    @Test
    void aTrafficRouteHostRewriteWinsOverTheAutomaticOne() {
        String yaml = input("external-ip") + """
                ---
                type: TrafficRoute
                mesh: default
                name: es-host
                sources: [{match: {kuma.io/service: web}}]
                destinations: [{match: {kuma.io/service: es-http}}]
                conf:
                  destination: {kuma.io/service: es-http}
                  http:
                  - match: {path: {prefix: /v2}}
                    modify: {host: {value: api.example.com}}
                    destination: {kuma.io/service: es-http}
                """;

        HttpConnectionManager hcm = unpack(generator.generate(proxy(yaml))
                .get(Listener.class, "outbound:127.0.0.1:10001").orElseThrow(), HttpConnectionManager.class);

        var routes = hcm.getRouteConfig().getVirtualHosts(0).getRoutesList();
        assertThat(routes.get(0).getRoute().getHostRewriteLiteral()).isEqualTo("api.example.com");
        assertThat(routes.get(1).getRoute().getAutoHostRewrite().getValue()).isTrue();
    }

    @Test
    void theRateLimitOfTheCallerLimitsItsRoutesToAnExternalServiceOnly() throws Exception {
        String yaml = input("external-ip") + """
                ---
                type: RateLimit
                mesh: default
                name: web-outbound
                sources: [{match: {kuma.io/service: web}}]
                destinations: [{match: {kuma.io/service: '*'}}]
                conf: {http: {requests: 5, interval: 10s, onRateLimit: {status: 423}}}
                """;

        ResourceSet resources = generator.generate(proxy(yaml));

        HttpConnectionManager external = unpack(resources.get(Listener.class, "outbound:127.0.0.1:10001")
                .orElseThrow(), HttpConnectionManager.class);
        assertThat(external.getHttpFiltersList()).extracting(f -> f.getName())
                .containsExactly(RateLimitConfigurers.FILTER, "envoy.filters.http.router");
        var bucket = external.getRouteConfig().getVirtualHosts(0).getRoutes(0).getTypedPerFilterConfigOrThrow(
                RateLimitConfigurers.FILTER).unpack(
                io.envoyproxy.envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit.class);
        assertThat(bucket.getTokenBucket().getMaxTokens()).isEqualTo(5);
        assertThat(bucket.getTokenBucket().getFillInterval().getSeconds()).isEqualTo(10);
        assertThat(bucket.getStatus().getCodeValue()).isEqualTo(423);
        HttpConnectionManager mesh = unpack(resources.get(Listener.class, "outbound:127.0.0.1:10002")
                .orElseThrow(), HttpConnectionManager.class);
        assertThat(mesh.getHttpFiltersList()).extracting(f -> f.getName())
                .as("the mesh service's own sidecar limits it").containsExactly("envoy.filters.http.router");
        assertThat(mesh.getRouteConfig().getVirtualHosts(0).getRoutes(0).getTypedPerFilterConfigMap()).isEmpty();
    }

    @Test
    void theStaticClusterNamesTheAddressOfAServerThatAnswers() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = ("reached " + exchange.getRequestURI()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            int port = server.getAddress().getPort();
            String yaml = input("external-ip").replace("'10.0.0.1:10001'", "'127.0.0.1:" + port + "'")
                    .replaceAll("(?s)---\ntype: ExternalService\nmesh: default\nname: es-http-2.*?version: v2}\n",
                            "");

            ResourceSet resources = Profiles.envoy().generate(proxy(yaml));

            Cluster cluster = resources.get(Cluster.class, "es-http").orElseThrow();
            assertThat(cluster.getType()).isEqualTo(Cluster.DiscoveryType.STATIC);
            var endpoints = cluster.getLoadAssignment().getEndpointsList().stream()
                    .flatMap(g -> g.getLbEndpointsList().stream())
                    .map(e -> e.getEndpoint().getAddress().getSocketAddress()).toList();
            assertThat(endpoints).extracting(a -> a.getAddress() + ":" + a.getPortValue())
                    .containsExactly("127.0.0.1:" + port);
            // No Envoy here: make the HTTP/1.1 request the cluster would make, to the address it names
            var named = endpoints.get(0);
            HttpResponse<String> reply = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                    .send(HttpRequest.newBuilder(URI.create("http://" + named.getAddress() + ":"
                            + named.getPortValue() + "/status")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(reply.statusCode()).isEqualTo(200);
            assertThat(reply.body()).isEqualTo("reached /status");
        } finally {
            server.stop(0);
        }
    }

    private static String input(String name) {
        return XdsFixtures.read(FOLDER.resolve(name + ".input.yaml"));
    }

    private static ProxyContext proxy(String yaml) {
        return XdsFixtures.firstProxy(yaml, "test input");
    }

    private static <M extends com.google.protobuf.Message> M unpack(Listener listener, Class<M> type) {
        try {
            return listener.getFilterChains(0).getFilters(0).getTypedConfig().unpack(type);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
