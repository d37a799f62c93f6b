package io.ursa.xds.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Status;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.zoneegress.ZoneEgressSpec;
import io.ursa.ca.CaPlugins;
import io.ursa.ca.BuiltinCaPlugin;
import io.ursa.core.cluster.MemoryProxyConnections;
import io.ursa.core.manager.ResourceManager;
import io.ursa.core.store.MemoryResourceStore;
import io.ursa.xds.names.EnvoyNames;
import io.ursa.xds.resources.EnvoyType;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A zone egress proxy over ADS: it connects as {@code .<name>} with a zone token, registers its ZoneEgress, and is
 * served one listener with a chain per mesh and ExternalService, a cluster per mesh and service, and its identity in
 * each mesh; sidecars of those meshes reach their ExternalServices through it; a wrong token is refused.
 */
class ZoneEgressServerTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String LDS = EnvoyType.LISTENER.typeUrl();
    private static final String CDS = EnvoyType.CLUSTER.typeUrl();
    private static final String EDS = EnvoyType.CLUSTER_LOAD_ASSIGNMENT.typeUrl();
    private static final String SDS = EnvoyType.SECRET.typeUrl();
    private static final String GOOD_TOKEN = "zone-token-for-egress";
    private static final String EGRESS = "{\"type\":\"ZoneEgress\",\"name\":\"egress-1\",\"networking\":"
            + "{\"address\":\"10.0.0.9\",\"port\":10002}}";

    private final ResourceCodec codec = new ResourceCodec(ResourceTypes.standard());
    private final List<AdsTestClient> clients = new ArrayList<>();
    private ResourceManager manager;
    private XdsServer server;

    @BeforeEach
    void start() throws Exception {
        manager = ResourceManager.create(new MemoryResourceStore(), Clock.systemUTC(), CaPlugins.standard());
        ProxyAuthenticator authenticator = new ProxyAuthenticator() {
            @Override
            public void authenticate(Resource<DataplaneSpec> dataplane, Optional<String> credential) {
            }

            @Override
            public void authenticateZoneEgress(Resource<ZoneEgressSpec> zoneEgress, Optional<String> credential)
                    throws AuthenticationException {
                if (!credential.equals(Optional.of(GOOD_TOKEN))) {
                    throw new AuthenticationException("the zone token is not valid");
                }
            }
        };
        server = XdsServer.start(manager, ResourceTypes.standard(), TestTls.config(TestTls.transport(),
                Duration.ofMillis(200), Duration.ofHours(1), Duration.ofMillis(300)), authenticator,
                TestCluster.alone("cp-1"), new MemoryProxyConnections(Clock.systemUTC()), Clock.systemUTC());
        apply(mesh("payments", true));
        apply(mesh("shop", true));
        apply(mesh("other", false));
        for (String mesh : List.of("payments", "shop", "other")) {
            apply("type: ExternalService\nmesh: " + mesh + "\nname: httpbin\n"
                    + "networking: {address: 'httpbin.org:443', tls: {enabled: true}}\n"
                    + "tags: {kuma.io/service: httpbin, kuma.io/protocol: http}\n");
        }
    }

    @AfterEach
    void stop() {
        clients.forEach(AdsTestClient::close);
        server.close();
    }

    @Test
    void servesEveryMeshWithZoneEgressOnAndRegistersItsZoneEgress() throws Exception {
        AdsTestClient egress = connect(".egress-1", EGRESS, GOOD_TOKEN);
        egress.subscribe(LDS, List.of());

        // the meshes' CAs may still be in the making: until they are, the egress has nothing to serve
        Listener listener = awaitListener(egress, l -> l.getFilterChainsCount() == 2);
        assertThat(listener.getName()).isEqualTo("inbound:10.0.0.9:10002");
        assertThat(listener.getFilterChainsList()).extracting(c -> c.getFilterChainMatch().getServerNames(0))
                .containsExactly("httpbin{mesh=payments}", "httpbin{mesh=shop}");
        assertThat(manager.get(ResourceTypes.ZONE_EGRESS, "", "egress-1")).isPresent();
        assertThat(server.insightOf("", "egress-1").orElseThrow().at("/subscriptions/0/controlPlaneInstanceId")
                .asText()).isEqualTo("cp-1");
        assertThat(server.servedConfig("", "egress-1")).as("its /xds, as for a Dataplane").isPresent();

        egress.subscribe(CDS, List.of());
        assertThat(names(egress.next(CDS, WAIT), Cluster.class, Cluster::getName))
                .contains("payments:httpbin", "shop:httpbin").doesNotContain("other:httpbin");

        List<String> secrets = List.of(EnvoyNames.identityCertSecret("payments"), EnvoyNames.meshCaSecret("payments"));
        egress.subscribe(SDS, secrets);
        DiscoveryResponse response = egress.next(SDS, WAIT);
        Secret identity = null;
        for (var any : response.getResourcesList()) {
            Secret secret = any.unpack(Secret.class);
            if (secret.getName().equals(EnvoyNames.identityCertSecret("payments"))) {
                identity = secret;
            }
        }
        assertThat(identity).isNotNull();
        X509Certificate certificate = certificate(identity.getTlsCertificate().getCertificateChain().getInlineBytes()
                .toStringUtf8());
        X509Certificate root = certificate(new String(manager.get(ResourceTypes.SECRET, "payments",
                BuiltinCaPlugin.certSecretName("payments", "ca-1")).orElseThrow().spec().bytes(),
                StandardCharsets.UTF_8));
        certificate.verify(root.getPublicKey());
        List<Object> sans = new ArrayList<>();
        certificate.getSubjectAlternativeNames().forEach(san -> sans.add(san.get(1)));
        assertThat(sans).contains("spiffe://payments/zone-egress");
    }

    @Test
    void aNewExternalServiceReachesTheEgressAndMeshesStayApart() throws Exception {
        AdsTestClient egress = connect(".egress-1", EGRESS, GOOD_TOKEN);
        egress.subscribe(LDS, List.of());
        awaitListener(egress, l -> l.getFilterChainsCount() == 2);

        apply("type: ExternalService\nmesh: shop\nname: payments-api\n"
                + "networking: {address: '10.1.0.1:5432'}\ntags: {kuma.io/service: payments-api}\n");

        Listener listener = awaitListener(egress, l -> l.getFilterChainsCount() == 3);
        assertThat(listener.getFilterChainsList()).extracting(c -> c.getFilterChainMatch().getServerNames(0))
                .containsExactly("httpbin{mesh=payments}", "httpbin{mesh=shop}", "payments-api{mesh=shop}");
        FilterChain tcp = listener.getFilterChains(2);
        assertThat(tcp.getFilters(tcp.getFiltersCount() - 1).getName()).isEqualTo("envoy.filters.network.tcp_proxy");
    }

    @Test
    void sidecarsOfAMeshWithZoneEgressReachTheirExternalServicesThroughIt() throws Exception {
        connect(".egress-1", EGRESS, GOOD_TOKEN).subscribe(LDS, List.of());
        await().atMost(WAIT).until(() -> manager.get(ResourceTypes.ZONE_EGRESS, "", "egress-1").isPresent());
        AdsTestClient web = connect("payments.web-1", "{\"type\":\"Dataplane\",\"mesh\":\"payments\",\"name\":"
                + "\"web-1\",\"networking\":{\"address\":\"10.0.0.1\",\"inbound\":[{\"port\":8080,\"tags\":"
                + "{\"kuma.io/service\":\"web\"}}],\"outbound\":[{\"port\":10001,\"tags\":"
                + "{\"kuma.io/service\":\"httpbin\"}}]}}", null);
        web.subscribe(CDS, List.of());

        Cluster cluster = await().atMost(WAIT).until(() -> clusterNamed(web.next(CDS, WAIT), "httpbin"),
                Optional::isPresent).orElseThrow();
        assertThat(cluster.getType()).isEqualTo(Cluster.DiscoveryType.EDS);
        UpstreamTlsContext tls = cluster.getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class);
        assertThat(tls.getSni()).isEqualTo("httpbin{mesh=payments}");
        assertThat(tls.getCommonTlsContext().getCombinedValidationContext().getDefaultValidationContext()
                .getMatchTypedSubjectAltNames(0).getMatcher().getExact()).isEqualTo("spiffe://payments/zone-egress");

        web.subscribe(EDS, List.of("httpbin"));
        ClusterLoadAssignment endpoints = web.next(EDS, WAIT).getResources(0).unpack(ClusterLoadAssignment.class);
        assertThat(endpoints.getEndpoints(0).getLbEndpointsList())
                .extracting(e -> e.getEndpoint().getAddress().getSocketAddress().getAddress() + ":"
                        + e.getEndpoint().getAddress().getSocketAddress().getPortValue())
                .containsExactly("10.0.0.9:10002");
    }

    @Test
    void refusesAZoneEgressWithoutAValidZoneTokenAndRegistersNothing() throws Exception {
        AdsTestClient wrong = connect(".egress-1", EGRESS, "a-dataplane-token");
        wrong.subscribe(LDS, List.of());

        var error = wrong.error(WAIT);
        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(error.getStatus().getDescription()).contains("zone egress proxy .egress-1 is not authenticated")
                .contains("the zone token is not valid");
        assertThat(manager.get(ResourceTypes.ZONE_EGRESS, "", "egress-1")).isEmpty();

        AdsTestClient none = connect(".egress-1", EGRESS, null);
        none.subscribe(LDS, List.of());
        assertThat(none.error(WAIT).getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    }

    @Test
    void refusesADataplaneDefinitionFromAZoneEgressNode() throws Exception {
        AdsTestClient egress = connect(".egress-1", "{\"type\":\"Dataplane\",\"mesh\":\"payments\",\"name\":"
                + "\"egress-1\",\"networking\":{\"address\":\"10.0.0.1\",\"inbound\":[{\"port\":8080,\"tags\":"
                + "{\"kuma.io/service\":\"web\"}}]}}", GOOD_TOKEN);
        egress.subscribe(LDS, List.of());

        var error = egress.error(WAIT);
        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(error.getStatus().getDescription()).contains("is a Dataplane (expected: ZoneEgress");
    }

    private static Optional<Cluster> clusterNamed(DiscoveryResponse response, String name) throws Exception {
        for (var any : response.getResourcesList()) {
            Cluster cluster = any.unpack(Cluster.class);
            if (cluster.getName().equals(name) && cluster.getType() == Cluster.DiscoveryType.EDS) {
                return Optional.of(cluster);
            }
        }
        return Optional.empty();
    }

    /**
     * The egress listener of the first LDS response, within {@link #WAIT}, whose listener {@code ready} accepts.
     * Every response read is acknowledged, that one too, so the server sends the next.
     */
    private static Listener awaitListener(AdsTestClient egress, java.util.function.Predicate<Listener> ready)
            throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
            DiscoveryResponse response = egress.next(LDS, left);
            egress.ack(response, List.of());
            for (var any : response.getResourcesList()) {
                Listener listener = any.unpack(Listener.class);
                if (listener.getName().startsWith("inbound:") && ready.test(listener)) {
                    return listener;
                }
            }
        }
    }

    private static <M extends com.google.protobuf.Message> List<String> names(
            DiscoveryResponse response, Class<M> type, java.util.function.Function<M, String> name)
            throws Exception {
        List<String> names = new ArrayList<>();
        for (var any : response.getResourcesList()) {
            names.add(name.apply(any.unpack(type)));
        }
        return names;
    }

    private static X509Certificate certificate(String pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }

    private AdsTestClient connect(String nodeId, String definition, String token) {
        Map<String, String> metadata = new java.util.HashMap<>();
        metadata.put(AdsCallbacks.DATAPLANE_RESOURCE, definition);
        if (token != null) {
            metadata.put(AdsCallbacks.TOKEN, token);
        }
        AdsTestClient client = new AdsTestClient(TestTls.channel(server.port(), TestTls.MATERIAL.caCertificatePem()),
                nodeId, metadata, Optional.empty());
        clients.add(client);
        return client;
    }

    private static String mesh(String name, boolean zoneEgress) {
        return "type: Mesh\nname: " + name + "\nmtls:\n  enabledBackend: ca-1\n  backends:\n  - name: ca-1\n"
                + "    type: builtin\n" + (zoneEgress ? "routing: {zoneEgress: true}\n" : "");
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void apply(String text) {
        Resource resource = codec.decode(codec.parseYamlDocuments(text).get(0));
        manager.upsert(resource.type(), resource.mesh(), resource.name(), resource.spec(), OptionalLong.empty());
    }
}
