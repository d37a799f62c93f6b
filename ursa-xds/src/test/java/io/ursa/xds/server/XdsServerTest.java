package io.ursa.xds.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Status;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.cluster.MemoryProxyConnections;
import io.ursa.core.manager.ResourceManager;
import io.ursa.core.store.MemoryResourceStore;
import io.ursa.core.store.ResourceStore;
import io.ursa.xds.names.EnvoyNames;
import io.ursa.xds.resources.EnvoyType;
import io.ursa.xds.vips.VipEntry;
import io.ursa.xds.vips.VipRecords;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The DP server end to end on the wire: registration, refusals, propagation, ACK/NACK insight, bootstrap. */
class XdsServerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration NACK_BACKOFF = Duration.ofMillis(300);
    private static final String LDS = EnvoyType.LISTENER.typeUrl();
    private static final String CDS = EnvoyType.CLUSTER.typeUrl();
    private static final String EDS = EnvoyType.CLUSTER_LOAD_ASSIGNMENT.typeUrl();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ResourceCodec codec = new ResourceCodec(ResourceTypes.standard());
    private final List<AdsTestClient> clients = new ArrayList<>();
    private ResourceManager manager;
    private XdsServer server;

    @BeforeEach
    void start() throws Exception {
        manager = ResourceManager.create(new MemoryResourceStore(), Clock.systemUTC(), List.of());
        apply("type: Mesh\nname: default");
        server = ServerFixture.start(manager);
    }

    @AfterEach
    void stop() {
        clients.forEach(AdsTestClient::close);
        server.close();
    }

    @Test
    void registersTheDataplaneItsProxyDefinesAndServesItsConfiguration() throws Exception {
        AdsTestClient proxy = connect("default.web-1", dataplane("default", "web-1", "web", 8080));
        proxy.subscribe(LDS, List.of());

        DiscoveryResponse listeners = proxy.next(LDS, WAIT);
        assertThat(names(listeners)).contains("inbound:10.0.0.1:8080");
        assertThat(manager.get(ResourceTypes.DATAPLANE, "default", "web-1")).isPresent();
        proxy.ack(listeners, List.of());
        await().atMost(WAIT).until(() -> server.insightOf("default", "web-1")
                .map(i -> i.at("/subscriptions/0/status/lds/lastAckedVersion").asText())
                .filter(v -> v.equals(listeners.getVersionInfo())).isPresent());
        JsonNode insight = server.insightOf("default", "web-1").orElseThrow();
        assertThat(insight.at("/subscriptions/0/controlPlaneInstanceId").asText()).isEqualTo("cp-1");
        assertThat(insight.at("/subscriptions/0/disconnectTime").isMissingNode()).isTrue();
    }

    @Test
    void servesAProxyThatSendsItsNodeOnlyOnTheFirstRequest() throws Exception {
        AdsTestClient proxy = connect("default.web-1", dataplane("default", "web-1", "web", 8080))
                .nodeOnFirstRequestOnly();
        proxy.subscribe(CDS, List.of());
        proxy.subscribe(LDS, List.of());

        proxy.ack(proxy.next(CDS, WAIT), List.of());
        assertThat(names(proxy.next(LDS, WAIT))).contains("inbound:10.0.0.1:8080");
    }

    @Test
    void refusesAProxyOfAMeshThatDoesNotExist() throws Exception {
        AdsTestClient proxy = connect("payments.web-1", dataplane("payments", "web-1", "web", 8080));
        proxy.subscribe(CDS, List.of());

        var error = proxy.error(WAIT);
        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(error.getStatus().getDescription()).contains("mesh \"payments\" does not exist");
    }

    @Test
    void refusesAnInvalidDataplaneAndRegistersNothing() throws Exception {
        String invalid = "{\"type\":\"Dataplane\",\"mesh\":\"default\",\"name\":\"web-1\",\"networking\":"
                + "{\"address\":\"10.0.0.1\",\"inbound\":[{\"port\":70000,\"tags\":{\"kuma.io/service\":\"web\"}}]}}";
        AdsTestClient proxy = connect("default.web-1", invalid);
        proxy.subscribe(CDS, List.of());

        var error = proxy.error(WAIT);
        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(error.getStatus().getDescription()).contains("networking.inbound[0].port");
        assertThat(manager.get(ResourceTypes.DATAPLANE, "default", "web-1")).isEmpty();
    }

    @Test
    void refusesADataplaneThatTheMeshConstraintsKeepOut() throws Exception {
        apply("""
                type: Mesh
                name: default
                constraints:
                  dataplaneProxy:
                    requirements:
                    - tags:
                        kuma.io/zone: east
                """);
        AdsTestClient proxy = connect("default.web-1", dataplane("default", "web-1", "web", 8080));
        proxy.subscribe(CDS, List.of());

        var error = proxy.error(WAIT);
        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(error.getStatus().getDescription())
                .contains("dataplane cannot join mesh \"default\"")
                .contains("match none of constraints.dataplaneProxy.requirements");
        assertThat(manager.get(ResourceTypes.DATAPLANE, "default", "web-1")).isEmpty();
    }

    @Test
    void refusesADefinitionForAnotherProxy() throws Exception {
        AdsTestClient proxy = connect("default.web-1", dataplane("default", "web-2", "web", 8080));
        proxy.subscribe(CDS, List.of());

        assertThat(proxy.error(WAIT).getStatus().getDescription())
                .contains("default/web-2 but the proxy connected as default.web-1");
    }

    @Test
    void pushesAChangeToEveryProxyOfTheMeshOnly() throws Exception {
        apply("type: Mesh\nname: other");
        AdsTestClient web = connect("default.web-1", withBackendOutbound(dataplane("default", "web-1", "web", 8080)));
        AdsTestClient elsewhere = connect("other.web-1", withBackendOutbound(dataplane("other", "web-1", "web", 8080)));
        web.subscribe(EDS, List.of("backend"));
        elsewhere.subscribe(EDS, List.of("backend"));
        DiscoveryResponse first = web.next(EDS, WAIT);
        web.ack(first, List.of("backend"));
        DiscoveryResponse otherFirst = elsewhere.next(EDS, WAIT);
        elsewhere.ack(otherFirst, List.of("backend"));
        assertThat(endpoints(first)).isEmpty();

        apply(dataplane("default", "backend-1", "backend", 9090).replace("10.0.0.1", "10.0.0.9"));

        DiscoveryResponse second = web.next(EDS, WAIT);
        assertThat(endpoints(second)).containsExactly("10.0.0.9:9090");
        assertThat(second.getVersionInfo()).isNotEqualTo(first.getVersionInfo());

        // The other mesh's proxy, with its own service called backend, is not affected. Whatever the change did to
        // it was sent before what a later change in its own mesh sends, so that is the next thing it gets.
        apply(dataplane("other", "backend-1", "backend", 9090).replace("10.0.0.1", "10.0.0.8"));
        DiscoveryResponse otherSecond = elsewhere.next(EDS, WAIT);
        assertThat(endpoints(otherSecond)).containsExactly("10.0.0.8:9090");
        assertThat(server.servedConfig("other", "web-1").orElseThrow().toString()).doesNotContain("10.0.0.9");
    }

    @Test
    void givesATransparentProxyItsVipOutboundsAndDnsListenerAndStoresTheVipsOnce() throws Exception {
        apply(dataplane("default", "backend-1", "backend", 9090).replace("10.0.0.1", "10.0.0.9"));
        String transparent = dataplane("default", "web-1", "web", 8080).replace("\"inbound\"",
                "\"transparentProxying\":{\"redirectPortInbound\":15006,\"redirectPortOutbound\":15001},\"inbound\"");
        AdsTestClient proxy = new AdsTestClient(TestTls.channel(server.port(), TestTls.MATERIAL.caCertificatePem()),
                "default.web-1", Map.of(AdsCallbacks.DATAPLANE_RESOURCE, transparent, AdsCallbacks.DNS_PORT, "15054",
                AdsCallbacks.EMPTY_DNS_PORT, "15055"), Optional.empty());
        clients.add(proxy);
        proxy.subscribe(LDS, List.of());

        DiscoveryResponse listeners = proxy.next(LDS, WAIT);
        String vip = VipRecords.read(manager.store(), "default").table().vip(VipEntry.service("backend"))
                .orElseThrow();
        assertThat(names(listeners)).contains(EnvoyNames.DNS_LISTENER, "outbound:" + vip + ":80",
                "inbound:passthrough:ipv4");
        proxy.ack(listeners, List.of());

        // A new service: one more VIP, one more write of the table (the pass its own write causes finds it equal).
        apply(dataplane("default", "db-1", "db", 5432).replace("10.0.0.1", "10.0.0.8"));
        DiscoveryResponse next = proxy.next(LDS, WAIT);
        String db = VipRecords.read(manager.store(), "default").table().vip(VipEntry.service("db")).orElseThrow();
        assertThat(names(next)).contains("outbound:" + db + ":80", "outbound:" + vip + ":80");
        assertThat(manager.store().get(ResourceTypes.SECRET, "default", VipRecords.name("default")).orElseThrow()
                .meta().version()).isEqualTo(2);
    }

    @Test
    void resyncDeliversAChangeWhoseEventWasLost() throws Exception {
        // A store that never tells anyone about its changes: only the periodic resync can notice them.
        MemoryResourceStore real = new MemoryResourceStore();
        ResourceStore deaf = (ResourceStore) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ResourceStore.class}, (proxy, method, args) -> method.getName().equals("subscribe")
                        ? (AutoCloseable) () -> { } : invoke(method, real, args));
        ResourceManager quiet = ResourceManager.create(deaf, Clock.systemUTC(), List.of());
        ResourceManager previous = manager;
        manager = quiet;
        apply("type: Mesh\nname: default");
        try (XdsServer resyncing = XdsServer.start(quiet, ResourceTypes.standard(), TestTls.config(
                TestTls.transport(), Duration.ofMillis(200), Duration.ofMillis(300), NACK_BACKOFF),
                ProxyAuthenticator.none(), TestCluster.alone("cp-2"), new MemoryProxyConnections(Clock.systemUTC()),
                Clock.systemUTC())) {
            AdsTestClient web = new AdsTestClient(TestTls.channel(resyncing.port(),
                    TestTls.MATERIAL.caCertificatePem()), "default.web-1",
                    Map.of(AdsCallbacks.DATAPLANE_RESOURCE, withBackendOutbound(dataplane("default", "web-1", "web",
                            8080))), Optional.empty());
            clients.add(web);
            web.subscribe(EDS, List.of("backend"));
            DiscoveryResponse first = web.next(EDS, WAIT);
            web.ack(first, List.of("backend"));

            apply(dataplane("default", "backend-1", "backend", 9090).replace("10.0.0.1", "10.0.0.9"));

            assertThat(endpoints(web.next(EDS, WAIT))).containsExactly("10.0.0.9:9090");
        } finally {
            manager = previous;
        }
    }

    @Test
    void aStoreResyncRecomputesEveryMeshAtOnce() throws Exception {
        // A store that loses a change (as the PostgreSQL store may while its feed is down) and then says so: the
        // periodic resync is an hour away, so only onResync can bring the proxy up to date.
        MemoryResourceStore real = new MemoryResourceStore();
        java.util.concurrent.atomic.AtomicReference<io.ursa.core.event.ChangeListener> listener =
                new java.util.concurrent.atomic.AtomicReference<>();
        ResourceStore lossy = (ResourceStore) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ResourceStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("subscribe")) {
                        listener.set((io.ursa.core.event.ChangeListener) args[0]);
                        return (AutoCloseable) () -> { };
                    }
                    return invoke(method, real, args);
                });
        ResourceManager quiet = ResourceManager.create(lossy, Clock.systemUTC(), List.of());
        ResourceManager previous = manager;
        manager = quiet;
        apply("type: Mesh\nname: default");
        try (XdsServer resyncing = XdsServer.start(quiet, ResourceTypes.standard(), TestTls.config(
                TestTls.transport(), Duration.ofMillis(200), Duration.ofHours(1), NACK_BACKOFF),
                ProxyAuthenticator.none(), TestCluster.alone("cp-3"), new MemoryProxyConnections(Clock.systemUTC()),
                Clock.systemUTC())) {
            AdsTestClient web = new AdsTestClient(TestTls.channel(resyncing.port(),
                    TestTls.MATERIAL.caCertificatePem()), "default.web-1",
                    Map.of(AdsCallbacks.DATAPLANE_RESOURCE, withBackendOutbound(dataplane("default", "web-1", "web",
                            8080))), Optional.empty());
            clients.add(web);
            web.subscribe(EDS, List.of("backend"));
            DiscoveryResponse first = web.next(EDS, WAIT);
            web.ack(first, List.of("backend"));
            apply(dataplane("default", "backend-1", "backend", 9090).replace("10.0.0.1", "10.0.0.9"));

            listener.get().onResync();

            assertThat(endpoints(web.next(EDS, WAIT))).containsExactly("10.0.0.9:9090");
        } finally {
            manager = previous;
        }
    }

    private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Test
    void recordsARejectionWithItsErrorInTheInsight() throws Exception {
        AdsTestClient proxy = connect("default.web-1", dataplane("default", "web-1", "web", 8080));
        proxy.subscribe(LDS, List.of());
        DiscoveryResponse listeners = proxy.next(LDS, WAIT);

        proxy.nack(listeners, "", "Invalid listener: port already in use");

        await().atMost(WAIT).until(() -> server.insightOf("default", "web-1")
                .map(i -> i.at("/subscriptions/0/status/lds/lastRejection/error").asText())
                .filter(e -> e.equals("Invalid listener: port already in use")).isPresent());
        JsonNode insight = server.insightOf("default", "web-1").orElseThrow();
        assertThat(insight.at("/subscriptions/0/status/lds/responsesRejected").asText()).isEqualTo("1");
        assertThat(insight.at("/subscriptions/0/status/lds/lastRejection/version").asText())
                .isEqualTo(listeners.getVersionInfo());
    }

    @Test
    void matchesPoliciesFromTheStoreAlsoForADataplaneWhoseProxyIsNotConnected() {
        apply(dataplane("default", "web-1", "web", 8080));
        apply("""
                type: TrafficPermission
                mesh: default
                name: allow-web
                sources: [{match: {kuma.io/service: '*'}}]
                destinations: [{match: {kuma.io/service: web}}]
                """);

        JsonNode policies = server.matchedPolicies("default", "web-1").orElseThrow();

        assertThat(policies.at("/items/0/name").asText()).isEqualTo("10.0.0.1:8080:8080");
        assertThat(policies.at("/items/0/matchedPolicies/TrafficPermission/0/name").asText()).isEqualTo("allow-web");
        assertThat(server.servedConfig("default", "web-1")).isEmpty();
        assertThat(server.matchedPolicies("default", "web-2")).isEmpty();
        assertThat(server.matchedPolicies("payments", "web-1")).isEmpty();
    }

    @Test
    void servesTheConfigurationItPushedToAConnectedProxy() throws Exception {
        AdsTestClient proxy = connect("default.web-1", dataplane("default", "web-1", "web", 8080));
        proxy.subscribe(LDS, List.of());
        DiscoveryResponse listeners = proxy.next(LDS, WAIT);

        JsonNode served = server.servedConfig("default", "web-1").orElseThrow();

        assertThat(served.path("versions").path(LDS).asText()).isEqualTo(listeners.getVersionInfo());
        assertThat(served.path("resources").findValuesAsText("name")).contains("inbound:10.0.0.1:8080");
    }

    @Test
    void answersAProxyThatKeepsRejectingOnlyAfterTheBackoff() throws Exception {
        AdsTestClient proxy = connect("default.web-1", dataplane("default", "web-1", "web", 8080));
        proxy.subscribe(LDS, List.of());
        DiscoveryResponse response = proxy.next(LDS, WAIT);

        for (int i = 0; i < 3; i++) {
            long nackedAt = System.nanoTime();
            proxy.nack(response, "", "rejected again");
            response = proxy.next(LDS, WAIT);
            assertThat(Duration.ofNanos(System.nanoTime() - nackedAt))
                    .as("the answer to NACK %d waits for the back-off", i + 1).isGreaterThanOrEqualTo(NACK_BACKOFF);
        }
        assertThat(server.insightOf("default", "web-1").orElseThrow()
                .at("/subscriptions/0/status/lds/responsesRejected").asText()).isEqualTo("3");
    }

    @Test
    void answersWithTheResourcesThatExistWhenARequestedOneIsGone() throws Exception {
        apply(dataplane("default", "backend-1", "backend", 9090).replace("10.0.0.1", "10.0.0.9"));
        AdsTestClient web = connect("default.web-1", withBackendOutbound(dataplane("default", "web-1", "web", 8080)));

        // "gone" is not in the proxy's configuration (a service whose last instance left, say).
        web.subscribe(EDS, List.of("backend", "gone"));

        assertThat(endpoints(web.next(EDS, WAIT))).containsExactly("10.0.0.9:9090");
    }

    @Test
    void deregistersOnlyTheDataplanesItsProxiesRegistered() throws Exception {
        apply(dataplane("default", "api-made", "api", 7070).replace("10.0.0.1", "10.0.0.7"));
        AdsTestClient registered = connect("default.web-1", dataplane("default", "web-1", "web", 8080));
        AdsTestClient apiMade = connect("default.api-made", null);
        registered.subscribe(LDS, List.of());
        apiMade.subscribe(LDS, List.of());
        registered.next(LDS, WAIT);
        apiMade.next(LDS, WAIT);

        registered.close();
        apiMade.close();

        await().atMost(WAIT).until(() -> manager.get(ResourceTypes.DATAPLANE, "default", "web-1").isEmpty());
        assertThat(manager.get(ResourceTypes.DATAPLANE, "default", "api-made")).isPresent();
        await().atMost(WAIT).until(() -> server.insightOf("default", "web-1")
                .map(i -> i.at("/subscriptions/0/disconnectTime").isTextual()).orElse(false));
    }

    @Test
    void showsWhyAProxysConfigurationCannotBeGeneratedWhileItKeepsTheLastOne() throws Exception {
        apply(dataplane("default", "api-made", "api", 7070));
        AdsTestClient proxy = connect("default.api-made", null);
        proxy.subscribe(LDS, List.of());
        proxy.ack(proxy.next(LDS, WAIT), List.of());

        manager.delete(ResourceTypes.DATAPLANE, "default", "api-made");

        await().atMost(WAIT).until(() -> server.insightOf("default", "api-made")
                .map(i -> i.at("/subscriptions/0/generationError").asText()).orElse("")
                .contains("its Dataplane is not in mesh default any more"));
        assertThat(server.servedConfig("default", "api-made").orElseThrow().toString())
                .contains("inbound:10.0.0.1:7070");
    }

    @Test
    void appliesAProxyTemplateAndKeepsTheLastConfigurationWhenOneCannotBeApplied() throws Exception {
        AdsTestClient proxy = connect("default.web-1", dataplane("default", "web-1", "web", 8080));
        proxy.subscribe(LDS, List.of());
        proxy.ack(proxy.next(LDS, WAIT), List.of());

        apply(proxyTemplate("""
                  - listener:
                      operation: add
                      value: |
                        name: custom:127.0.0.1:9000
                        address: {socketAddress: {address: 127.0.0.1, portValue: 9000}}
                        filterChains:
                        - filters:
                          - name: envoy.filters.network.tcp_proxy
                            typedConfig:
                              '@type': type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy
                              statPrefix: custom
                              cluster: localhost:8080
                """));
        DiscoveryResponse templated = proxy.next(LDS, WAIT);
        assertThat(names(templated)).contains("inbound:10.0.0.1:8080", "custom:127.0.0.1:9000");
        proxy.ack(templated, List.of());

        // Removing the cluster both listeners send to leaves a configuration that is not consistent.
        apply(proxyTemplate("""
                  - cluster: {operation: remove, match: {name: 'localhost:8080'}}
                """));

        await().atMost(WAIT).until(() -> server.insightOf("default", "web-1")
                .map(i -> i.at("/subscriptions/0/generationError").asText()).orElse("")
                .contains("ProxyTemplate \"custom\" cannot be applied: "));
        assertThat(server.insightOf("default", "web-1").orElseThrow().at("/subscriptions/0/generationError")
                .asText()).contains("references missing cluster [localhost:8080]");
        assertThat(server.servedConfig("default", "web-1").orElseThrow().toString())
                .contains("custom:127.0.0.1:9000");
    }

    private static String proxyTemplate(String modifications) {
        return """
                type: ProxyTemplate
                mesh: default
                name: custom
                selectors: [{match: {kuma.io/service: web}}]
                conf:
                  imports: [default-proxy]
                  modifications:
                """ + modifications;
    }

    @Test
    void anExternalServiceOfIpAddressesAndHostNamesIsTheGenerationErrorOfItsCallersOnly() throws Exception {
        AdsTestClient caller = connect("default.web-1", withBackendOutbound(dataplane("default", "web-1", "web",
                8080)));
        AdsTestClient bystander = connect("default.db-1", dataplane("default", "db-1", "db", 5432));
        caller.subscribe(LDS, List.of());
        caller.ack(caller.next(LDS, WAIT), List.of());
        bystander.subscribe(LDS, List.of());
        bystander.ack(bystander.next(LDS, WAIT), List.of());

        apply("""
                {"type": "ExternalService", "mesh": "default", "name": "backend-by-ip",
                 "networking": {"address": "10.0.0.9:80"}, "tags": {"kuma.io/service": "backend"}}""");
        apply("""
                {"type": "ExternalService", "mesh": "default", "name": "backend-by-name",
                 "networking": {"address": "backend.example.com:80"}, "tags": {"kuma.io/service": "backend"}}""");

        await().atMost(WAIT).until(() -> server.insightOf("default", "web-1")
                .map(i -> i.at("/subscriptions/0/generationError").asText()).orElse("")
                .contains("mix IP addresses [10.0.0.9] and host names [backend.example.com]"));
        assertThat(server.servedConfig("default", "web-1").orElseThrow().toString())
                .as("the caller keeps its last configuration").contains("outbound:127.0.0.1:10001");
        assertThat(server.insightOf("default", "db-1").orElseThrow().at("/subscriptions/0/generationError")
                .isMissingNode()).as("a proxy that does not call backend is not affected").isTrue();
    }

    @Test
    void keepsTheDataplaneWhenItsProxyReconnectsWithinTheDelay() throws Exception {
        // A delay that no test outlasts: the Dataplane can only be kept by cancelling its deletion.
        try (XdsServer patient = XdsServer.start(manager, ResourceTypes.standard(), TestTls.config(
                TestTls.transport(), Duration.ofHours(1), Duration.ofSeconds(30), NACK_BACKOFF),
                ProxyAuthenticator.none(), TestCluster.alone("cp-2"), new MemoryProxyConnections(Clock.systemUTC()),
                Clock.systemUTC())) {
            AdsTestClient first = connect(patient, "default.web-1", dataplane("default", "web-1", "web", 8080));
            first.subscribe(LDS, List.of());
            first.next(LDS, WAIT);
            first.close();
            await().atMost(WAIT).until(() -> patient.deregistrationPending("default", "web-1"));

            AdsTestClient second = connect(patient, "default.web-1", dataplane("default", "web-1", "web", 8080));
            second.subscribe(LDS, List.of());
            second.next(LDS, WAIT);

            assertThat(patient.deregistrationPending("default", "web-1"))
                    .as("the Dataplane's deletion is still pending after its proxy came back").isFalse();
            assertThat(manager.get(ResourceTypes.DATAPLANE, "default", "web-1")).isPresent();
        }
    }

    @Test
    void aProxyThatReconnectsAfterAChangeRenamedItsClustersIsFirstSentItsNewConfiguration() throws Exception {
        // Long delay and resync: the Dataplane stays registered and nothing but the reconnect regenerates the proxy.
        try (XdsServer patient = XdsServer.start(manager, ResourceTypes.standard(), TestTls.config(
                TestTls.transport(), Duration.ofHours(1), Duration.ofHours(1), NACK_BACKOFF),
                ProxyAuthenticator.none(), TestCluster.alone("cp-2"), new MemoryProxyConnections(Clock.systemUTC()),
                Clock.systemUTC())) {
            apply(versioned(dataplane("default", "backend-v1", "backend", 9090), "v1", "10.0.0.8"));
            apply(versioned(dataplane("default", "backend-v2", "backend", 9090), "v2", "10.0.0.9"));
            String web = withBackendOutbound(dataplane("default", "web-1", "web", 8080));
            AdsTestClient before = connect(patient, "default.web-1", web);
            before.subscribe(CDS, List.of());
            DiscoveryResponse served = before.next(CDS, WAIT);
            assertThat(names(served)).contains("backend").doesNotContain("backend-_0_", "backend-_1_");
            before.ack(served, List.of());
            before.close();
            await().atMost(WAIT).until(() -> patient.deregistrationPending("default", "web-1"));

            // While the proxy is away, a split renames its clusters (backend becomes backend-_0_ and backend-_1_).
            apply("""
                    type: TrafficRoute
                    mesh: default
                    name: web-to-backend
                    sources: [{match: {kuma.io/service: web}}]
                    destinations: [{match: {kuma.io/service: backend}}]
                    conf:
                      split:
                      - {weight: 50, destination: {kuma.io/service: backend, version: v1}}
                      - {weight: 50, destination: {kuma.io/service: backend, version: v2}}
                    """);
            AdsTestClient after = connect(patient, "default.web-1", web);
            after.subscribe(CDS, List.of());

            // Not the configuration it was served before it left: a client that asked for what that one named
            // (grpc-xds) would wait for its initial fetch timeout before it concluded that those names are gone.
            assertThat(names(after.next(CDS, WAIT))).as("the clusters first sent to the reconnected proxy")
                    .contains("backend-_0_", "backend-_1_").doesNotContain("backend");
            after.close(); // before the server, which would wait for its stream
        }
    }

    @Test
    void servesTheBootstrapOnTheSamePort() throws Exception {
        String body = "{\"mesh\":\"default\",\"name\":\"web-1\",\"dataplaneResource\":"
                + JSON.writeValueAsString(dataplane("default", "web-1", "web", 8080)) + "}";
        HttpResponse<String> response = post(body);

        assertThat(response.statusCode()).isEqualTo(200);
        String yaml = new String(Base64.getDecoder().decode(JSON.readTree(response.body()).get("bootstrap")
                .asText()));
        assertThat(yaml).contains("id: default.web-1").contains("portValue: " + server.port());
    }

    @Test
    void refusesABootstrapForAnUnknownMeshWithItsName() throws Exception {
        String body = "{\"mesh\":\"payments\",\"name\":\"web-1\",\"dataplaneResource\":"
                + JSON.writeValueAsString(dataplane("payments", "web-1", "web", 8080)) + "}";
        HttpResponse<String> response = post(body);

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body()).contains("mesh \"payments\" does not exist");
    }

    @Test
    void answers404WithAnEmptyBodyForADataplaneNotRegisteredYet() throws Exception {
        HttpResponse<String> response = post("{\"mesh\":\"default\",\"name\":\"web-9\"}");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).isEmpty();
    }

    private HttpResponse<String> post(String body) throws Exception {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(TestTls.trusting(TestTls.MATERIAL.caCertificatePem())).build().send(HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + server.port() + "/bootstrap"))
                .header("accept", "application/json").header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private AdsTestClient connect(String nodeId, String definition) {
        return connect(server, nodeId, definition);
    }

    private AdsTestClient connect(XdsServer to, String nodeId, String definition) {
        AdsTestClient client = new AdsTestClient(TestTls.channel(to.port(),
                TestTls.MATERIAL.caCertificatePem()), nodeId,
                definition == null ? Map.of() : Map.of(AdsCallbacks.DATAPLANE_RESOURCE, definition), Optional.empty());
        clients.add(client);
        return client;
    }

    private static List<String> names(DiscoveryResponse response) throws Exception {
        List<String> names = new ArrayList<>();
        for (var any : response.getResourcesList()) {
            if (any.getTypeUrl().equals(LDS)) {
                names.add(any.unpack(Listener.class).getName());
            } else {
                names.add(any.unpack(io.envoyproxy.envoy.config.cluster.v3.Cluster.class).getName());
            }
        }
        return names;
    }

    private void apply(String text) {
        Resource<?> resource = codec.decode(text.trim().startsWith("{") ? codec.parseJson(text)
                : codec.parseYamlDocuments(text).get(0));
        upsert(resource);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void upsert(Resource resource) {
        manager.upsert(resource.type(), resource.mesh(), resource.name(), resource.spec(), OptionalLong.empty());
    }

    private static String dataplane(String mesh, String name, String service, int port) {
        return "{\"type\":\"Dataplane\",\"mesh\":\"" + mesh + "\",\"name\":\"" + name + "\",\"networking\":"
                + "{\"address\":\"10.0.0.1\",\"inbound\":[{\"port\":" + port + ",\"tags\":{\"kuma.io/service\":\""
                + service + "\",\"kuma.io/protocol\":\"http\"}}]}}";
    }

    /** The Dataplane with its inbound tagged {@code version} and the address {@code address}. */
    private static String versioned(String dataplane, String version, String address) {
        return dataplane.replace("10.0.0.1", address).replace("\"kuma.io/protocol\":\"http\"",
                "\"kuma.io/protocol\":\"http\",\"version\":\"" + version + "\"");
    }

    private static String withBackendOutbound(String dataplane) {
        return dataplane.replace("\"inbound\"",
                "\"outbound\":[{\"port\":10001,\"tags\":{\"kuma.io/service\":\"backend\"}}],\"inbound\"");
    }

    private static List<String> endpoints(DiscoveryResponse response) throws Exception {
        List<String> result = new ArrayList<>();
        for (var any : response.getResourcesList()) {
            var cla = any.unpack(io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment.class);
            cla.getEndpointsList().forEach(l -> l.getLbEndpointsList().forEach(e -> result.add(
                    e.getEndpoint().getAddress().getSocketAddress().getAddress() + ":"
                            + e.getEndpoint().getAddress().getSocketAddress().getPortValue())));
        }
        return result;
    }
}
