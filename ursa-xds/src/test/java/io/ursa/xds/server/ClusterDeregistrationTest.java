package io.ursa.xds.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceKey;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.cluster.Cluster;
import io.ursa.core.cluster.MemoryProxyConnections;
import io.ursa.core.cluster.ProxyConnections;
import io.ursa.core.manager.ResourceManager;
import io.ursa.core.store.MemoryResourceStore;
import io.ursa.xds.resources.EnvoyType;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two control-plane instances on one store and one shared record of proxy connections, as instances sharing a
 * PostgreSQL database are: which instance a proxy is connected to, who removes what it registered once it left
 * (the leader, whichever instance it was connected to, also one that died), and what each instance shows of a
 * proxy connected to the other one. Real ADS streams over TLS; the test decides who leads and who is alive.
 */
class ClusterDeregistrationTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration DELAY = Duration.ofSeconds(1);
    private static final String LDS = EnvoyType.LISTENER.typeUrl();
    private static final ResourceKey WEB = new ResourceKey(ResourceTypes.DATAPLANE, "default", "web-1");

    private final ResourceCodec codec = new ResourceCodec(ResourceTypes.standard());
    private final List<AdsTestClient> clients = new ArrayList<>();
    private final List<XdsServer> servers = new ArrayList<>();
    private final TestCluster cluster = new TestCluster();
    private final ProxyConnections shared = new MemoryProxyConnections(Clock.systemUTC());
    private ResourceManager manager;
    private SeverableConnections aConnections;
    private XdsServer a;
    private XdsServer b;

    @BeforeEach
    void start() throws Exception {
        manager = ResourceManager.create(new MemoryResourceStore(), Clock.systemUTC(), List.of());
        apply("type: Mesh\nname: default");
        Cluster bView = cluster.instance("cp-b"); // the first instance leads
        Cluster aView = cluster.instance("cp-a");
        aConnections = new SeverableConnections(shared);
        a = start(aView, aConnections);
        b = start(bView, shared);
    }

    @AfterEach
    void stop() {
        clients.forEach(AdsTestClient::close);
        servers.forEach(XdsServer::close);
    }

    @Test
    void theLeaderRemovesTheDataplaneOfAProxyWhoseInstanceDiedOnceTheDelayHasPassed() throws Exception {
        AdsTestClient proxy = connect(a, "default.web-1", dataplane("web-1"));
        proxy.subscribe(LDS, List.of());
        proxy.next(LDS, WAIT);
        assertThat(shared.get(WEB).orElseThrow().instanceId()).isEqualTo("cp-a");

        // cp-a crashes: it records nothing more, its streams break, and it stops heartbeating.
        aConnections.sever();
        proxy.close();
        a.close();
        Instant died = Instant.now();
        cluster.dies("cp-a");

        assertThat(manager.get(ResourceTypes.DATAPLANE, "default", "web-1"))
                .as("kept while the delay runs, counted from when the leader noticed").isPresent();
        await().atMost(WAIT).until(() -> manager.get(ResourceTypes.DATAPLANE, "default", "web-1").isEmpty());
        assertThat(Duration.between(died, Instant.now())).isGreaterThanOrEqualTo(DELAY);
        assertThat(shared.get(WEB)).as("the record is forgotten with it").isEmpty();
    }

    @Test
    void aProxyThatMovesToAnotherInstanceWithinTheDelayKeepsItsDataplaneAndItsRegistration() throws Exception {
        AdsTestClient first = connect(a, "default.web-1", dataplane("web-1"));
        first.subscribe(LDS, List.of());
        first.next(LDS, WAIT);
        first.close();
        await().atMost(WAIT).until(() -> b.deregistrationPending("default", "web-1"));

        AdsTestClient moved = connect(b, "default.web-1", dataplane("web-1"));
        moved.subscribe(LDS, List.of());
        moved.next(LDS, WAIT);

        assertThat(b.deregistrationPending("default", "web-1")).isFalse();
        await().during(DELAY.multipliedBy(2)).atMost(WAIT).until(() ->
                manager.get(ResourceTypes.DATAPLANE, "default", "web-1").isPresent());
        assertThat(shared.get(WEB).orElseThrow().instanceId()).isEqualTo("cp-b");

        // The registration moved with it: when it leaves cp-b for good, its Dataplane goes.
        moved.close();
        await().atMost(WAIT).until(() -> manager.get(ResourceTypes.DATAPLANE, "default", "web-1").isEmpty());
    }

    @Test
    void noInstanceRemovesAnythingWhileItDoesNotLeadAndTheNewLeaderDoes() throws Exception {
        cluster.lead("nobody");
        AdsTestClient proxy = connect(a, "default.web-1", dataplane("web-1"));
        proxy.subscribe(LDS, List.of());
        proxy.next(LDS, WAIT);
        proxy.close();
        await().atMost(WAIT).until(() -> a.deregistrationPending("default", "web-1"));

        await().during(DELAY.multipliedBy(2)).atMost(WAIT).until(() ->
                manager.get(ResourceTypes.DATAPLANE, "default", "web-1").isPresent());

        cluster.lead("cp-b");
        await().atMost(WAIT).until(() -> manager.get(ResourceTypes.DATAPLANE, "default", "web-1").isEmpty());
    }

    @Test
    void aDataplaneCreatedAgainSinceItsProxyRegisteredItIsNotRemoved() throws Exception {
        AdsTestClient proxy = connect(a, "default.web-1", dataplane("web-1"));
        proxy.subscribe(LDS, List.of());
        proxy.next(LDS, WAIT);
        Instant registered = manager.get(ResourceTypes.DATAPLANE, "default", "web-1").orElseThrow()
                .meta().creationTime();
        manager.delete(ResourceTypes.DATAPLANE, "default", "web-1");
        await().atMost(WAIT).until(() -> Instant.now().isAfter(registered.plusMillis(1)));
        apply(dataplane("web-1"));

        proxy.close();
        await().atMost(WAIT).until(() -> shared.get(WEB).isEmpty()); // the leader has been through it

        assertThat(manager.get(ResourceTypes.DATAPLANE, "default", "web-1")).isPresent();
    }

    @Test
    void anInstanceShowsAProxyConnectedToAnotherOneOnlineWithThatInstancesId() throws Exception {
        AdsTestClient before = connect(a, "default.web-1", dataplane("web-1"));
        before.subscribe(LDS, List.of());
        before.next(LDS, WAIT);
        before.close();
        await().atMost(WAIT).until(() -> a.deregistrationPending("default", "web-1"));
        AdsTestClient proxy = connect(b, "default.web-1", dataplane("web-1"));
        proxy.subscribe(LDS, List.of());
        proxy.next(LDS, WAIT);
        Instant connectTime = shared.get(WEB).orElseThrow().connectTime();

        JsonNode seenFromA = a.insightOf("default", "web-1").orElseThrow();

        JsonNode subscriptions = seenFromA.path("subscriptions");
        assertThat(subscriptions).hasSize(2);
        assertThat(subscriptions.get(0).path("controlPlaneInstanceId").asText()).isEqualTo("cp-a");
        assertThat(subscriptions.get(0).hasNonNull("disconnectTime")).isTrue();
        JsonNode current = subscriptions.get(1);
        assertThat(current.path("controlPlaneInstanceId").asText()).isEqualTo("cp-b");
        assertThat(current.path("connectTime").asText()).isEqualTo(connectTime.toString());
        assertThat(current.has("disconnectTime")).as("online").isFalse();
        assertThat(current.path("id").asText()).isNotEmpty();
        assertThat(b.insightOf("default", "web-1").orElseThrow().at("/subscriptions/0/controlPlaneInstanceId")
                .asText()).isEqualTo("cp-b");
        assertThat(a.insightOf("default", "web-2")).as("a proxy that never connected anywhere").isEmpty();

        // cp-b stops heartbeating: nobody serves the proxy as far as the cluster knows, and cp-a shows it offline.
        cluster.dies("cp-b");
        JsonNode afterDeath = a.insightOf("default", "web-1").orElseThrow();
        assertThat(afterDeath.path("subscriptions")).hasSize(1);
        assertThat(afterDeath.at("/subscriptions/0/disconnectTime").isTextual()).isTrue();
    }

    @Test
    void aZoneEgressConnectedToAnotherInstanceIsShownOnlineThere() throws Exception {
        AdsTestClient egress = connect(b, ".egress-1", """
                {"type": "ZoneEgress", "name": "egress-1", "networking": {"address": "10.0.0.5", "port": 10002}}""");
        egress.subscribe(LDS, List.of());
        await().atMost(WAIT).until(() -> shared.get(ResourceKey.global(ResourceTypes.ZONE_EGRESS, "egress-1"))
                .isPresent());

        assertThat(a.insightOf("", "egress-1").orElseThrow().at("/subscriptions/0/controlPlaneInstanceId").asText())
                .isEqualTo("cp-b");
    }

    private XdsServer start(Cluster view, ProxyConnections connections) throws IOException {
        XdsServer server = XdsServer.start(manager, ResourceTypes.standard(), TestTls.config(TestTls.transport(),
                DELAY, Duration.ofSeconds(30), Duration.ofMillis(300)), ProxyAuthenticator.none(), view,
                connections, Clock.systemUTC());
        servers.add(server);
        return server;
    }

    private AdsTestClient connect(XdsServer to, String nodeId, String definition) {
        AdsTestClient client = new AdsTestClient(TestTls.channel(to.port(), TestTls.MATERIAL.caCertificatePem()),
                nodeId, Map.of(AdsCallbacks.DATAPLANE_RESOURCE, definition), Optional.empty());
        clients.add(client);
        return client;
    }

    private static String dataplane(String name) {
        return "{\"type\":\"Dataplane\",\"mesh\":\"default\",\"name\":\"" + name + "\",\"networking\":"
                + "{\"address\":\"10.0.0.1\",\"inbound\":[{\"port\":8080,\"tags\":{\"kuma.io/service\":\"web\"}}]}}";
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void apply(String text) {
        Resource resource = codec.decode(text.trim().startsWith("{") ? codec.parseJson(text)
                : codec.parseYamlDocuments(text).get(0));
        manager.upsert(resource.type(), resource.mesh(), resource.name(), resource.spec(), OptionalLong.empty());
    }

    /**
     * The shared record as one instance reaches it: once {@link #sever}ed (the instance crashed), its writes no
     * longer arrive.
     */
    private static final class SeverableConnections implements ProxyConnections {
        private final ProxyConnections delegate;
        private volatile boolean severed;

        SeverableConnections(ProxyConnections delegate) {
            this.delegate = delegate;
        }

        void sever() {
            severed = true;
        }

        @Override
        public void connected(ResourceKey proxy, String instanceId, Optional<Instant> registered) {
            if (!severed) {
                delegate.connected(proxy, instanceId, registered);
            }
        }

        @Override
        public boolean disconnected(ResourceKey proxy, String instanceId) {
            return !severed && delegate.disconnected(proxy, instanceId);
        }

        @Override
        public Optional<ProxyConnection> get(ResourceKey proxy) {
            return delegate.get(proxy);
        }

        @Override
        public List<ProxyConnection> all() {
            return delegate.all();
        }

        @Override
        public List<ProxyConnection> closeConnectionsOf(Set<String> liveInstanceIds) {
            return severed ? List.of() : delegate.closeConnectionsOf(liveInstanceIds);
        }

        @Override
        public List<ProxyConnection> abandoned(Duration delay) {
            return delegate.abandoned(delay);
        }

        @Override
        public boolean forget(ProxyConnection abandoned) {
            return !severed && delegate.forget(abandoned);
        }
    }
}
