package io.ursa.xds.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.grpc.Status;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.cluster.MemoryProxyConnections;
import io.ursa.core.manager.ResourceManager;
import io.ursa.core.store.MemoryResourceStore;
import io.ursa.xds.resources.EnvoyType;
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
 * The DP server over incremental ("delta") ADS, as Envoy speaks it with {@code api_type: DELTA_GRPC}: the same
 * identification, authentication and insight as state of the world, and after a change only the resources that
 * changed, or the names of those removed.
 */
class DeltaXdsServerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration NACK_BACKOFF = Duration.ofMillis(300);
    private static final String LDS = EnvoyType.LISTENER.typeUrl();
    private static final String CDS = EnvoyType.CLUSTER.typeUrl();
    private static final String EDS = EnvoyType.CLUSTER_LOAD_ASSIGNMENT.typeUrl();
    private static final String GOOD_TOKEN = "token-of-web-1";

    private final ResourceCodec codec = new ResourceCodec(ResourceTypes.standard());
    private final List<DeltaAdsTestClient> clients = new ArrayList<>();
    private ResourceManager manager;
    private XdsServer server;

    @BeforeEach
    void start() throws Exception {
        manager = ResourceManager.create(new MemoryResourceStore(), Clock.systemUTC(), List.of());
        apply("{\"type\":\"Mesh\",\"name\":\"default\"}");
        apply(dataplane("backend-1", "10.0.0.9", "backend", 9090, ""));
        ProxyAuthenticator tokens = (dataplane, credential) -> {
            if (!credential.equals(Optional.of(GOOD_TOKEN))) {
                throw new ProxyAuthenticator.AuthenticationException("the token is not valid for "
                        + dataplane.name());
            }
        };
        server = XdsServer.start(manager, ResourceTypes.standard(), TestTls.config(TestTls.transport(),
                Duration.ofMillis(200), Duration.ofSeconds(30), NACK_BACKOFF), tokens, TestCluster.alone("cp-1"),
                new MemoryProxyConnections(Clock.systemUTC()), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        clients.forEach(DeltaAdsTestClient::close);
        server.close();
    }

    @Test
    void servesAWholeConfigurationFirstAndThenOnlyTheEndpointsThatChanged() throws Exception {
        DeltaAdsTestClient web = connect(GOOD_TOKEN);
        Map<String, DeltaDiscoveryResponse> first = configure(web);
        assertThat(web.held(CDS)).contains("backend");
        assertThat(web.held(LDS)).contains("inbound:10.0.0.1:8080", "outbound:127.0.0.1:10001");
        assertThat(endpoints(web.resource(EDS, "backend"))).containsExactly("10.0.0.9:9090");
        for (String type : List.of("cds", "eds", "lds")) {
            String version = first.get(type).getSystemVersionInfo();
            await().atMost(WAIT).until(() -> insight().at("/subscriptions/0/status/" + type + "/lastAckedVersion")
                    .asText().equals(version));
        }

        apply(dataplane("backend-2", "10.0.0.10", "backend", 9090, ""));

        DeltaDiscoveryResponse endpoints = web.next(EDS, WAIT);
        assertThat(endpoints.getResourcesList()).extracting(Resource::getName).containsExactly("backend");
        assertThat(endpoints.getRemovedResourcesList()).isEmpty();
        assertThat(endpoints(web.resource(EDS, "backend"))).containsExactlyInAnyOrder("10.0.0.9:9090",
                "10.0.0.10:9090");
        web.ack(endpoints);
        // A change is pushed type by type in one pass, clusters and listeners around endpoints: had either
        // changed, its response would have been sent (and counted) by the time the endpoints arrived.
        JsonNode status = insight().at("/subscriptions/0/status");
        assertThat(status.at("/cds/responsesSent").asLong()).isEqualTo(1);
        assertThat(status.at("/lds/responsesSent").asLong()).isEqualTo(1);
        assertThat(status.at("/eds/responsesSent").asLong()).isEqualTo(2);
        await().atMost(WAIT).until(() -> insight().at("/subscriptions/0/status/eds/lastAckedVersion").asText()
                .equals(endpoints.getSystemVersionInfo()));
    }

    @Test
    void namesWhatWasRemovedListenersBeforeTheirClusters() throws Exception {
        DeltaAdsTestClient web = connect(GOOD_TOKEN);
        configure(web);

        // The Dataplane no longer calls backend: its outbound listener goes first, then (once the proxy has the
        // listeners without it) the cluster and its endpoints.
        apply(dataplane("web-1", "10.0.0.1", "web", 8080, ""));

        DeltaDiscoveryResponse listeners = web.next(LDS, WAIT);
        assertThat(listeners.getRemovedResourcesList()).containsExactly("outbound:127.0.0.1:10001");
        assertThat(web.held(CDS)).contains("backend");
        web.ack(listeners);
        DeltaDiscoveryResponse clusters = web.next(CDS, WAIT);
        assertThat(clusters.getRemovedResourcesList()).containsExactly("backend");
        assertThat(clusters.getResourcesList()).isEmpty();
        web.ack(clusters);
        DeltaDiscoveryResponse endpoints = web.next(EDS, WAIT);
        assertThat(endpoints.getRemovedResourcesList()).containsExactly("backend");
        web.ack(endpoints);
        assertThat(web.held(CDS)).doesNotContain("backend");
        assertThat(web.held(LDS)).containsExactly("inbound:10.0.0.1:8080");
    }

    @Test
    void recordsARejectionWithTheRefusedVersionAndAnswersOnlyAfterTheBackoff() throws Exception {
        DeltaAdsTestClient web = connect(GOOD_TOKEN);
        web.subscribe(CDS, List.of());
        web.ack(web.next(CDS, WAIT));
        web.subscribe(EDS, List.of("backend"));
        DeltaDiscoveryResponse endpoints = web.next(EDS, WAIT);

        long nackedAt = System.nanoTime();
        web.nack(endpoints, "malformed load assignment");

        DeltaDiscoveryResponse again = web.next(EDS, WAIT);
        assertThat(Duration.ofNanos(System.nanoTime() - nackedAt)).isGreaterThanOrEqualTo(NACK_BACKOFF);
        assertThat(again.getResourcesList()).extracting(Resource::getName).containsExactly("backend");
        JsonNode eds = insight().at("/subscriptions/0/status/eds");
        assertThat(eds.at("/responsesRejected").asLong()).isEqualTo(1);
        assertThat(eds.at("/lastRejection/version").asText()).isEqualTo(endpoints.getSystemVersionInfo());
        assertThat(eds.at("/lastRejection/error").asText()).isEqualTo("malformed load assignment");
    }

    @Test
    void refusesAProxyWithoutAValidTokenAndRegistersNothing() throws Exception {
        DeltaAdsTestClient wrong = connect("a-token-of-another-proxy");
        wrong.subscribe(CDS, List.of());

        var error = wrong.error(WAIT);
        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(error.getStatus().getDescription()).contains("proxy default.web-1 is not authenticated")
                .contains("the token is not valid for web-1");
        assertThat(manager.get(ResourceTypes.DATAPLANE, "default", "web-1")).isEmpty();
    }

    /** Subscribes as Envoy does (clusters and listeners, then the endpoints the clusters name) and ACKs all. */
    private static Map<String, DeltaDiscoveryResponse> configure(DeltaAdsTestClient proxy) throws Exception {
        proxy.subscribe(CDS, List.of());
        proxy.subscribe(LDS, List.of());
        DeltaDiscoveryResponse clusters = proxy.next(CDS, WAIT);
        proxy.ack(clusters);
        proxy.subscribe(EDS, List.of("backend"));
        DeltaDiscoveryResponse endpoints = proxy.next(EDS, WAIT);
        proxy.ack(endpoints);
        DeltaDiscoveryResponse listeners = proxy.next(LDS, WAIT);
        proxy.ack(listeners);
        return Map.of("cds", clusters, "eds", endpoints, "lds", listeners);
    }

    private JsonNode insight() {
        return server.insightOf("default", "web-1").orElseThrow();
    }

    private DeltaAdsTestClient connect(String token) {
        DeltaAdsTestClient client = new DeltaAdsTestClient(TestTls.channel(server.port(),
                TestTls.MATERIAL.caCertificatePem()), "default.web-1",
                Map.of(AdsCallbacks.DATAPLANE_RESOURCE, dataplane("web-1", "10.0.0.1", "web", 8080,
                        "\"outbound\":[{\"port\":10001,\"tags\":{\"kuma.io/service\":\"backend\"}}],")),
                Optional.of(token));
        clients.add(client);
        return client;
    }

    private static List<String> endpoints(Resource resource) throws Exception {
        List<String> result = new ArrayList<>();
        resource.getResource().unpack(ClusterLoadAssignment.class).getEndpointsList()
                .forEach(l -> l.getLbEndpointsList().forEach(e -> result.add(
                        e.getEndpoint().getAddress().getSocketAddress().getAddress() + ":"
                                + e.getEndpoint().getAddress().getSocketAddress().getPortValue())));
        return result;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void apply(String json) {
        io.ursa.api.resource.Resource resource = codec.decode(codec.parseJson(json));
        manager.upsert(resource.type(), resource.mesh(), resource.name(), resource.spec(), OptionalLong.empty());
    }

    private static String dataplane(String name, String address, String service, int port, String outbounds) {
        return "{\"type\":\"Dataplane\",\"mesh\":\"default\",\"name\":\"" + name + "\",\"networking\":{\"address\":\""
                + address + "\"," + outbounds + "\"inbound\":[{\"port\":" + port
                + ",\"tags\":{\"kuma.io/service\":\"" + service + "\",\"kuma.io/protocol\":\"http\"}}]}}";
    }
}
