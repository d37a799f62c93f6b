package io.ursa.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@code bin/ursa-cp run} processes on one PostgreSQL database. First, only the leader removes the Dataplane
 * of a proxy that left another instance. Then the leader is killed with SIGKILL (no shutdown, no goodbye;
 * PostgreSQL sees its sessions end and releases its advisory lock):
 * <ul>
 *   <li>a survivor takes the lead within the 5 s, and both survivors' {@code GET /control-planes} agree on
 *       it; the killed instance leaves their lists once its last heartbeat is older than the lease (5 s, checked
 *       at each survivor's heartbeat, every second: 4-6 s after the kill, 5.0 s measured);</li>
 *   <li>two proxyless grpc-xds clients connected to the killed instance keep calling without a single failed call
 *       while their control plane is gone, with the configuration they have;</li>
 *   <li>one of them, whose bootstrap names its xDS server by one name resolving to every instance (the way the
 *       README tells proxyless applications to be set up), reconnects to a survivor, which serves it: a route
 *       written through a survivor afterwards reaches it. The other, whose bootstrap names the killed instance
 *       alone, keeps its old configuration (it never sees that route);</li>
 *   <li>the new leader does the leader's work for the dead instance's proxies: it deregisters the Dataplane the
 *       stranded client registered, once (one {@code deregistered} line in all the logs), after the deregistration
 *       delay, and keeps the Dataplane of the client that reconnected elsewhere.</li>
 * </ul>
 *
 * <p>What this machine cannot show: a real DNS name with an address per instance (that needs {@code /etc/hosts} or a
 * DNS server; {@link InstancesResolver} answers the three instances' addresses for one name instead, as grpc's DNS
 * resolver would, with a port per instance where DNS would have one port); instances on separate hosts, so a host
 * or network failure (as opposed to a killed process, whose sessions the kernel closes at once) that PostgreSQL
 * notices only through TCP keepalives; and Envoy (no binary here), whose ADS cluster with an endpoint per instance
 * the README describes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class LeaderFailoverTest {
    private static final Path LOGS = Path.of("target", "e2e-logs");
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** The bound from the leader's death to a new leader. */
    private static final Duration NEW_LEADER = Duration.ofSeconds(5);
    private static final Duration DEREGISTRATION_DELAY = Duration.ofSeconds(2);
    private static final String MESH = "failover";

    private PostgresServer postgres;
    private final List<CpProcess> cps = new CopyOnWriteArrayList<>();
    private InstancesResolver resolver;
    private final List<ProxylessApps> appSets = new ArrayList<>();

    @RegisterExtension
    final CpLogOnFailure cp0Log = new CpLogOnFailure(() -> cp(0));
    @RegisterExtension
    final CpLogOnFailure cp1Log = new CpLogOnFailure(() -> cp(1));
    @RegisterExtension
    final CpLogOnFailure cp2Log = new CpLogOnFailure(() -> cp(2));

    @BeforeAll
    void startThreeInstances(@TempDir Path dir) throws Exception {
        postgres = PostgresServer.start(dir.resolve("pg"));
        Map<String, String> env = new HashMap<>(postgres.migratedDatabase("failover", LOGS));
        env.put("URSA_XDS_SERVER_DATAPLANE_DEREGISTRATION_DELAY", DEREGISTRATION_DELAY.toSeconds() + "s");
        // the first creates the defaults as the leader before it is ready; the other two start together
        cps.add(CpProcess.start(dir.resolve("store-0"), LOGS, env));
        CompletableFuture<CpProcess> second = startAsync(dir.resolve("store-1"), env);
        CompletableFuture<CpProcess> third = startAsync(dir.resolve("store-2"), env);
        try {
            cps.add(second.get(90, TimeUnit.SECONDS));
        } finally {
            cps.add(third.get(90, TimeUnit.SECONDS));
        }
        resolver = InstancesResolver.register();
    }

    @AfterAll
    void stopEverything() throws Exception {
        try {
            for (ProxylessApps apps : appSets) {
                apps.close();
            }
            if (resolver != null) {
                resolver.close();
            }
        } finally {
            try {
                for (CpProcess cp : cps) {
                    cp.close();
                }
            } finally {
                if (postgres != null) {
                    postgres.close();
                }
            }
        }
    }

    /**
     * Only the leader does the leader's work: a proxy that registered its Dataplane through an instance that does
     * not lead stops; the Dataplane stays for the deregistration delay and is then removed by the leader, once (one
     * {@code deregistered} line in the three logs, in the leader's).
     */
    @Test
    @Order(1)
    void onlyTheLeaderDeregistersTheDataplaneOfAProxyThatLeftAnotherInstance(@TempDir Path dir) throws Exception {
        Map<String, CpProcess> byId = byId();
        String leaderId = await().atMost(WAIT).until(() -> agreedLeader(cps), id -> !id.isEmpty());
        CpProcess leader = byId.get(leaderId);
        CpProcess other = cps.stream().filter(cp -> cp != leader).findFirst().orElseThrow();
        CpApi api = new CpApi(leader.apiUrl());
        Ursactl ctl = new Ursactl(dir.resolve("ursactl.yaml"));
        assertThat(ctl.run(null, "config", "control-planes", "add", "--name", "e2e", "--address", other.apiUrl())
                .exitCode()).isZero();
        String mesh = "sweep";
        api.put("/meshes/" + mesh, "{\"type\":\"Mesh\",\"name\":\"" + mesh + "\"}");
        ProxylessApps apps = apps(other, ctl, dir.resolve("apps"));
        App echo = App.server(mesh, "echo-1", "echo", "v1");
        ProxylessApps.Instance running = apps.serve(echo);
        await().atMost(WAIT).until(() -> api.get("/meshes/" + mesh + "/dataplanes/echo-1").isPresent());

        running.stop();
        long stopped = System.nanoTime();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> api.get("/meshes/" + mesh + "/dataplanes/echo-1").isEmpty());
        Duration gone = since(stopped);
        System.out.printf("LeaderFailoverTest: the Dataplane of a proxy that left a follower was deregistered %d ms"
                + " after it stopped (delay %s)%n", gone.toMillis(), DEREGISTRATION_DELAY);
        assertThat(gone).as("from the proxy's stop to its Dataplane's removal").isGreaterThanOrEqualTo(
                DEREGISTRATION_DELAY.minus(Duration.ofMillis(200)));
        String line = "deregistered Dataplane " + mesh + "/echo-1";
        assertThat(leader.output().lines().filter(l -> l.contains(line))).as("in the leader's log").hasSize(1);
        for (CpProcess cp : cps) {
            if (cp != leader) {
                assertThat(cp.output()).as("the log of an instance that does not lead").doesNotContain(line);
            }
        }
    }

    @Test
    @Order(2)
    void aSurvivorLeadsWithin5sAndProxiesOfTheKilledLeaderKeepWorkingAndMoveToASurvivor(@TempDir Path dir)
            throws Exception {
        Map<String, CpProcess> byId = byId();
        String leaderId = await().atMost(WAIT).until(() -> agreedLeader(cps), id -> !id.isEmpty());
        CpProcess leader = byId.get(leaderId);
        List<CpProcess> survivors = cps.stream().filter(cp -> cp != leader).toList();
        CpProcess home = survivors.get(0);
        CpApi api = new CpApi(home.apiUrl());
        System.out.printf("LeaderFailoverTest: instances %s, leader %s%n", byId.keySet(), leaderId);

        Ursactl ctl = new Ursactl(dir.resolve("ursactl.yaml"));
        assertThat(ctl.run(null, "config", "control-planes", "add", "--name", "e2e", "--address", home.apiUrl())
                .exitCode()).isZero();
        api.put("/meshes/" + MESH, "{\"type\":\"Mesh\",\"name\":\"" + MESH + "\"}");
        ProxylessApps atHome = apps(home, ctl, dir.resolve("apps-home"));
        ProxylessApps atLeader = apps(leader, ctl, dir.resolve("apps-leader"));
        App v1 = App.server(MESH, "echo-v1", "echo", "v1");
        App v2 = App.server(MESH, "echo-v2", "echo", "v2");
        App caller = App.client(MESH, "caller");
        App stranded = App.client(MESH, "stranded");
        atHome.tokens(MESH);
        atHome.prepare(v1, v2, caller);
        Map<String, ?> strandedBootstrap = atLeader.bootstrap(stranded, atHome.token(MESH));
        atHome.serve(v1);
        atHome.serve(v2);

        // The caller's xDS server is one name for the instances. It names the leader alone until the caller is
        // connected to it (with all three, pick_first's happy eyeballs could pick another when the first is slow to
        // shake hands on this busy machine), then all three, the leader first, as DNS would all along.
        ManagedChannel callerChannel = atHome.channel(InstancesResolver.withServerUri(atHome.bootstrap(caller),
                resolver.name("control-planes", List.of(leader))), "echo");
        ManagedChannel strandedChannel = atLeader.channel(strandedBootstrap, "echo");
        Set<String> both = Set.of(v1.instance(), v2.instance());
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(answers(callerChannel)).as("caller's answers").containsAll(both);
            assertThat(answers(strandedChannel)).as("stranded's answers").containsAll(both);
        });
        CpApi leaderApi = new CpApi(leader.apiUrl());
        assertThat(connectedTo(leaderApi, caller)).as("the caller's instance").isEqualTo(leaderId);
        assertThat(connectedTo(leaderApi, stranded)).as("the stranded client's instance").isEqualTo(leaderId);
        List<CpProcess> leaderFirst = new ArrayList<>(List.of(leader));
        leaderFirst.addAll(survivors);
        resolver.name("control-planes", leaderFirst);

        try (Calls calls = Calls.start(Map.of("caller", callerChannel, "stranded", strandedChannel))) {
            long killed = System.nanoTime();
            leader.kill9();

            String newLeader = await().atMost(WAIT).pollInterval(Duration.ofMillis(50))
                    .until(() -> agreedLeader(survivors), id -> !id.isEmpty() && !id.equals(leaderId));
            Duration toNewLeader = since(killed);
            System.out.printf("LeaderFailoverTest: kill -9 of leader %s -> new leader %s in %d ms%n", leaderId,
                    newLeader, toNewLeader.toMillis());
            assertThat(toNewLeader).as("from the kill to a new leader both survivors report")
                    .isLessThanOrEqualTo(NEW_LEADER);

            String callerNow = await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                    .until(() -> connectedTo(api, caller), id -> byId.containsKey(id) && !id.equals(leaderId));
            System.out.printf("LeaderFailoverTest: the caller reconnected to %s %d ms after the kill%n", callerNow,
                    since(killed).toMillis());

            await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> noneLists(survivors, leaderId));
            System.out.printf("LeaderFailoverTest: the killed instance left the survivors' lists %d ms after the"
                    + " kill (lease 5 s)%n", since(killed).toMillis());

            // Until here (about 5 s), calls. Not across the route change below: a change that renames a client's
            // clusters can fail a call of a connected client (CDS drops the old cluster before RDS moves off it),
            // with or without a failover; that is another matter.
            calls.close();
            assertThat(calls.failures()).as("failed calls of clients whose control plane was killed").isEmpty();
            assertThat(calls.succeeded("caller")).as("the caller's calls").isPositive();
            assertThat(calls.succeeded("stranded")).as("the stranded client's calls").isPositive();
            System.out.printf("LeaderFailoverTest: calls from the kill to the killed instance leaving the list: %s,"
                    + " none failed%n", calls.counts());

            // a change written through a survivor reaches the caller, not the stranded client
            api.put("/meshes/" + MESH + "/traffic-routes/to-v2", """
                    {"type":"TrafficRoute","mesh":"%s","name":"to-v2",
                     "sources":[{"match":{"kuma.io/service":"caller"}},{"match":{"kuma.io/service":"stranded"}}],
                     "destinations":[{"match":{"kuma.io/service":"echo"}}],
                     "conf":{"destination":{"kuma.io/service":"echo","version":"v2"}}}""".formatted(MESH));
            long written = System.nanoTime();
            await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                    assertThat(answers(callerChannel)).as("the caller's answers after the route to v2")
                            .containsOnly(v2.instance()));
            System.out.printf("LeaderFailoverTest: the route written through a survivor reached the caller in %d"
                    + " ms%n", since(written).toMillis());
            assertThat(answers(strandedChannel)).as("the stranded client keeps its last configuration")
                    .containsAll(both);

            // the new leader deregisters what the stranded client registered, and nothing of the caller
            await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                    .until(() -> api.get("/meshes/" + MESH + "/dataplanes/stranded").isEmpty());
            System.out.printf("LeaderFailoverTest: the stranded client's Dataplane was deregistered %d ms after"
                    + " the kill (lease 5 s + delay %s)%n", since(killed).toMillis(), DEREGISTRATION_DELAY);
            assertThat(api.get("/meshes/" + MESH + "/dataplanes/caller")).as("the caller's Dataplane").isPresent();
            assertThat(connectedTo(api, caller)).as("the caller's instance").isEqualTo(callerNow);

        }
        String logs = survivors.stream().map(CpProcess::output).collect(Collectors.joining("\n"));
        assertThat(logs.lines().filter(l -> l.contains("deregistered Dataplane " + MESH + "/stranded")))
                .as("deregistrations of the stranded client's Dataplane in the survivors' logs").hasSize(1);
        assertThat(logs.lines().filter(l -> l.contains("deregistered Dataplane " + MESH + "/caller")))
                .as("deregistrations of the caller's Dataplane").isEmpty();
    }

    /** The three instances by id, as {@code GET /} names them. */
    private Map<String, CpProcess> byId() throws Exception {
        Map<String, CpProcess> byId = new TreeMap<>();
        for (CpProcess cp : cps) {
            byId.put(new CpApi(cp.apiUrl()).get("/").orElseThrow().path("instanceId").asText(), cp);
        }
        assertThat(byId).as("instance ids").hasSize(3);
        return byId;
    }

    /** The leader every instance in {@code instances} names in {@code GET /control-planes}, or empty until they agree. */
    static String agreedLeader(List<CpProcess> instances) throws Exception {
        TreeSet<String> leaders = new TreeSet<>();
        for (CpProcess cp : instances) {
            JsonNode list = new CpApi(cp.apiUrl()).get("/control-planes").orElseThrow();
            List<String> named = new ArrayList<>();
            for (JsonNode item : list.path("items")) {
                if (item.path("leader").asBoolean()) {
                    named.add(item.path("id").asText());
                }
            }
            if (named.size() != 1) {
                return "";
            }
            leaders.add(named.get(0));
        }
        return leaders.size() == 1 ? leaders.first() : "";
    }

    /** Whether none of {@code instances} lists {@code id} in {@code GET /control-planes}. */
    static boolean noneLists(List<CpProcess> instances, String id) throws Exception {
        for (CpProcess cp : instances) {
            if (listed(cp).contains(id)) {
                return false;
            }
        }
        return true;
    }

    /** The ids {@code cp} lists in {@code GET /control-planes}. */
    static Set<String> listed(CpProcess cp) throws Exception {
        Set<String> ids = new TreeSet<>();
        new CpApi(cp.apiUrl()).get("/control-planes").orElseThrow().path("items")
                .forEach(item -> ids.add(item.path("id").asText()));
        return ids;
    }

    /** The instance {@code app}'s open subscription is on, as {@code api} shows it; empty when it has none. */
    private static String connectedTo(CpApi api, App app) throws Exception {
        JsonNode subscriptions = api.get("/meshes/" + app.mesh() + "/dataplanes+insights/" + app.name())
                .map(o -> o.path("dataplaneInsight").path("subscriptions")).orElse(null);
        if (subscriptions == null || subscriptions.isEmpty()) {
            return "";
        }
        JsonNode last = subscriptions.get(subscriptions.size() - 1);
        return last.has("disconnectTime") ? "" : last.path("controlPlaneInstanceId").asText();
    }

    private static Set<String> answers(ManagedChannel channel) throws InterruptedException {
        return WhoAmI.count(channel, 10).keySet();
    }

    private ProxylessApps apps(CpProcess cp, Ursactl ctl, Path dir) throws Exception {
        ProxylessApps apps = new ProxylessApps(cp, ctl, dir);
        appSets.add(apps);
        return apps;
    }

    private CompletableFuture<CpProcess> startAsync(Path store, Map<String, String> env) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return CpProcess.start(store, LOGS, env);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private CpProcess cp(int index) {
        return cps.size() > index ? cps.get(index) : null;
    }

    private static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }
}
