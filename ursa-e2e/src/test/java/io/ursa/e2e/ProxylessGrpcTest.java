package io.ursa.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proxyless gRPC through the real control plane: {@code bin/ursa-cp run} as its own process, applications set up
 * with {@code bin/ursactl} (meshes, policies, dataplane tokens, {@code generate grpc-bootstrap}) and run in this JVM
 * as real {@code io.grpc:grpc-xds} servers and {@code xds:///backend} channels, each its own Dataplane that the
 * control plane registers when it connects and deregisters one second after it leaves. Every assertion is about
 * where real calls land or what a user reads from the control plane.
 *
 * <p>One control plane serves the whole class; each test has its own meshes, created up front with their tokens and
 * starting routes since each {@code ursactl} run is a JVM start, and stops its applications when it ends.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ProxylessGrpcTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration NACK_BACKOFF = Duration.ofSeconds(1);
    private static final String MESHES = """
            type: Mesh
            name: mesh-a
            ---
            type: Mesh
            name: mesh-b
            ---
            type: Mesh
            name: split
            ---
            type: Mesh
            name: churn
            ---
            type: Mesh
            name: nack
            ---
            type: Mesh
            name: external
            """;

    private CpProcess cp;
    private CpApi api;
    private Ursactl ctl;
    private ProxylessApps apps;

    @RegisterExtension
    final CpLogOnFailure cpLog = new CpLogOnFailure(() -> cp);

    @BeforeAll
    void startControlPlane(@TempDir Path dir) throws Exception {
        cp = CpProcess.start(dir.resolve("store"), Path.of("target", "e2e-logs"), Map.of(
                "URSA_STORE_TYPE", "memory",
                "URSA_XDS_SERVER_DATAPLANE_DEREGISTRATION_DELAY", "1s",
                "URSA_XDS_SERVER_NACK_BACKOFF", NACK_BACKOFF.toSeconds() + "s"));
        api = new CpApi(cp.apiUrl());
        ctl = new Ursactl(dir.resolve("ursactl.yaml"));
        ursactl(null, "config", "control-planes", "add", "--name", "e2e", "--address", cp.apiUrl());
        ursactl(MESHES + "---\n" + route("split", "web", 80, 20) + "---\n" + route("nack", "web", 100, 0),
                "apply", "-f", "-");
        apps = new ProxylessApps(cp, ctl, dir.resolve("apps"));
        apps.tokens("mesh-a", "mesh-b", "split", "churn", "nack", "external");
    }

    @AfterEach
    void stopApps() throws InterruptedException {
        if (apps != null) {
            apps.stopAll();
        }
    }

    @AfterAll
    void stopControlPlane() throws Exception {
        try {
            if (apps != null) {
                apps.close();
            }
        } finally {
            if (cp != null) {
                cp.close();
            }
        }
    }

    @Test
    void everyCallOfAMeshsClientLandsOnAnInstanceOfItsOwnMesh() throws Exception {
        App a1 = App.server("mesh-a", "backend-1", "backend", "v1");
        App a2 = App.server("mesh-a", "backend-2", "backend", "v1");
        App webA = App.client("mesh-a", "web");
        App b1 = App.server("mesh-b", "backend-1", "backend", "v1");
        App b2 = App.server("mesh-b", "backend-2", "backend", "v1");
        App webB = App.client("mesh-b", "web");
        apps.prepare(a1, a2, webA, b1, b2, webB);
        for (App backend : new App[] {a1, a2, b1, b2}) {
            apps.serve(backend);
        }
        ManagedChannel fromA = apps.channel(webA, "backend");
        ManagedChannel fromB = apps.channel(webB, "backend");

        Map<String, Long> landedFromA = answersOnceAllAnswered(fromA, Set.of(a1.instance(), a2.instance()));
        Map<String, Long> landedFromB = answersOnceAllAnswered(fromB, Set.of(b1.instance(), b2.instance()));
        add(landedFromA, WhoAmI.count(fromA, 200));
        add(landedFromB, WhoAmI.count(fromB, 200));

        assertThat(landedFromA).as("where the calls of mesh-a's web landed")
                .containsOnlyKeys(a1.instance(), a2.instance());
        assertThat(landedFromB).as("where the calls of mesh-b's web landed")
                .containsOnlyKeys(b1.instance(), b2.instance());
    }

    @Test
    void aClientReachesAServerOutsideTheMeshThroughTheExternalServiceAppliedForIt() throws Exception {
        Server outside = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(WhoAmI.service("outside")).build().start();
        try {
            ursactl("""
                    type: ExternalService
                    mesh: external
                    name: outside
                    networking: {address: '127.0.0.1:%d'}
                    tags: {kuma.io/service: outside, kuma.io/protocol: grpc}
                    """.formatted(outside.getPort()), "apply", "-f", "-");
            App web = App.client("external", "web");
            apps.prepare(web);
            ManagedChannel toOutside = apps.channel(web, "outside");

            await().atMost(WAIT).untilAsserted(() -> assertThat(WhoAmI.call(toOutside)).isEqualTo("outside"));
            assertThat(WhoAmI.count(toOutside, 50)).as("where the calls to the ExternalService landed")
                    .containsOnlyKeys("outside");
        } finally {
            outside.shutdownNow();
        }
    }

    @Test
    void anAppPresentingAnotherMeshsTokenGetsNoConfiguration() throws Exception {
        App intruder = App.client("mesh-b", "intruder");
        ManagedChannel channel = apps.channel(apps.bootstrap(intruder, apps.token("mesh-a")), "backend");

        StatusRuntimeException refused = catchThrowableOfType(() -> WhoAmI.call(channel, Duration.ofSeconds(5)),
                StatusRuntimeException.class);

        assertThat(refused).as("the call of an app that presented mesh-a's token as mesh-b.intruder").isNotNull();
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(refused.getStatus().getDescription()).as("why the call failed")
                .contains("UNAUTHENTICATED: proxy mesh-b.intruder is not authenticated");
        await().atMost(WAIT).untilAsserted(() -> assertThat(cp.output())
                .contains("refused proxy mesh-b.intruder: proxy mesh-b.intruder is not authenticated"));
        assertThat(api.get("/meshes/mesh-b/dataplanes/intruder")).as("Dataplane mesh-b/intruder").isEmpty();
    }

    @Test
    void aSplitRouteSharesCallsEightyTwentyAndItsChangeReachesTheRunningClient() throws Exception {
        // mesh split starts with web's route to backend at 80/20 (startControlPlane)
        App v1 = App.server("split", "backend-v1", "backend", "v1");
        App v2 = App.server("split", "backend-v2", "backend", "v2");
        App web = App.client("split", "web");
        apps.prepare(v1, v2, web);
        apps.serve(v1);
        apps.serve(v2);
        ManagedChannel channel = apps.channel(web, "backend");
        answersOnceAllAnswered(channel, Set.of(v1.instance(), v2.instance()));

        Map<String, Long> landed = WhoAmI.count(channel, 1000);

        assertThat(landed.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(1000);
        assertThat(landed.getOrDefault(v1.instance(), 0L)).as("calls on v1 of 1000 with an 80/20 split: %s", landed)
                .isBetween(750L, 850L);

        ursactl(route("split", "web", 0, 100), "apply", "-f", "-");
        Instant applied = Instant.now(); // the user's "done": when ursactl apply returned
        await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
                assertThat(WhoAmI.count(channel, 50)).as("where calls land after the split became 0/100")
                        .containsOnlyKeys(v2.instance()));
        Duration took = Duration.between(applied, Instant.now());
        System.out.printf("the 0/100 split reached the running client %d ms after ursactl apply returned%n",
                took.toMillis());

        assertThat(WhoAmI.count(channel, 200)).as("calls %s after the change", took).containsOnlyKeys(v2.instance());
    }

    @Test
    void stoppingAnInstanceRemovesItFromTheClientsEndpointsAndStartingOneAddsIt() throws Exception {
        App backend1 = App.server("churn", "backend-1", "backend", "v1");
        App backend2 = App.server("churn", "backend-2", "backend", "v1");
        App backend3 = App.server("churn", "backend-3", "backend", "v1");
        App web = App.client("churn", "web");
        apps.prepare(backend1, backend2, backend3, web);
        apps.serve(backend1);
        ProxylessApps.Instance second = apps.serve(backend2);
        ManagedChannel channel = apps.channel(web, "backend");
        answersOnceAllAnswered(channel, Set.of(backend1.instance(), backend2.instance()));
        assertThat(Channelz.endpointPorts("xds:///backend")).as("ports of the endpoints web holds")
                .containsExactlyInAnyOrder(backend1.port(), backend2.port());

        second.stop();
        apps.serve(backend3);

        // grpc keeps a withdrawn endpoint's subchannel for 5 s, in case calls are still on it
        await().atMost(WAIT).untilAsserted(() -> assertThat(Channelz.endpointPorts("xds:///backend"))
                .as("ports of the endpoints web holds after backend-2 (port %d) stopped and backend-3 (port %d)"
                        + " started", backend2.port(), backend3.port())
                .containsExactlyInAnyOrder(backend1.port(), backend3.port()));
        assertThat(api.get("/meshes/churn/dataplanes/backend-2")).as("Dataplane churn/backend-2").isEmpty();
        assertThat(answersOnceAllAnswered(channel, Set.of(backend1.instance(), backend3.instance())))
                .as("calls after backend-2 stopped and backend-3 started")
                .containsOnlyKeys(backend1.instance(), backend3.instance());
    }

    @Test
    void stoppingTheLastInstanceLeavesTheClientWithoutItsEndpoint() throws Exception {
        App backend1 = App.server("churn", "last-1", "last", "v1");
        App web = App.client("churn", "web-of-last");
        apps.prepare(backend1, web);
        ProxylessApps.Instance only = apps.serve(backend1);
        ManagedChannel channel = apps.channel(web, "last");
        answersOnceAllAnswered(channel, Set.of(backend1.instance()));

        only.stop();

        await().atMost(WAIT).untilAsserted(() -> assertThat(Channelz.endpointPorts("xds:///last"))
                .as("ports of the endpoints web holds after the only instance of last stopped").isEmpty());
    }

    @Test
    void aRouteTheClientRejectsShowsInItsInsightAndTheClientKeepsItsLastGoodRoute() throws Exception {
        // mesh nack starts with web's route to backend at 100/0 (startControlPlane)
        App v1 = App.server("nack", "backend-v1", "backend", "v1");
        App v2 = App.server("nack", "backend-v2", "backend", "v2");
        App web = App.client("nack", "web");
        apps.prepare(v1, v2, web);
        apps.serve(v1);
        apps.serve(v2);
        ManagedChannel channel = apps.channel(web, "backend");
        answersOnceAllAnswered(channel, Set.of(v1.instance()));
        JsonNode good = await().atMost(WAIT).until(() -> api.xdsStatus("nack", "web", "lds"),
                ProxylessGrpcTest::allAcknowledged);

        // Weights are uint32 each, as in Kuma; gRPC refuses weights adding up beyond 2^32-1
        ursactl(oversizedSplit("nack", "web"), "apply", "-f", "-");
        JsonNode rejected = await().atMost(WAIT).until(() -> api.xdsStatus("nack", "web", "lds"),
                lds -> lds.path("responsesRejected").asLong() > 0);
        long firstRejection = System.nanoTime();

        assertThat(rejected.path("lastRejection").path("error").asText()).as("the rejection in %s", rejected)
                .contains("Sum of cluster weights should be less than the maximum unsigned integer");
        assertThat(rejected.path("lastAckedVersion").asText()).as("the LDS version web still runs")
                .isEqualTo(good.path("lastAckedVersion").asText());
        assertThat(WhoAmI.count(channel, 200)).as("calls after the rejected route").containsOnlyKeys(v1.instance());
        // The control plane answers each NACK only after the back-off, instead of resending in a tight loop.
        long rejections = api.xdsStatus("nack", "web", "lds").path("responsesRejected").asLong();
        long allowed = 2 + (System.nanoTime() - firstRejection) / NACK_BACKOFF.toNanos();
        assertThat(rejections).as("rejections so far (back-off %s)", NACK_BACKOFF).isLessThanOrEqualTo(allowed);

        // Not 0/100: that listener (one cluster, named by its split position) is the one web already runs
        ursactl(route("nack", "web", 50, 50), "apply", "-f", "-");
        answersOnceAllAnswered(channel, Set.of(v1.instance(), v2.instance()));
        JsonNode fixed = await().atMost(WAIT).until(() -> api.xdsStatus("nack", "web", "lds"),
                lds -> !lds.path("lastAckedVersion").asText().equals(good.path("lastAckedVersion").asText()));

        assertThat(fixed.path("lastAckedVersion").asText()).as("the LDS version acknowledged after the fix: %s", fixed)
                .isNotEqualTo(rejected.path("lastRejection").path("version").asText());
        assertThat(fixed.path("responsesSent").asLong()).as("LDS responses answered after the fix: %s", fixed)
                .isEqualTo(fixed.path("responsesAcknowledged").asLong() + fixed.path("responsesRejected").asLong());
    }

    /**
     * Calls until every one of {@code instances} has answered (calls may fail while the channel resolves): all the
     * answers, counted by instance.
     */
    private static Map<String, Long> answersOnceAllAnswered(ManagedChannel channel, Set<String> instances) {
        Map<String, Long> answers = new TreeMap<>();
        await().atMost(WAIT).untilAsserted(() -> {
            add(answers, WhoAmI.count(channel, 10));
            assertThat(answers.keySet()).as("instances that answered").containsAll(instances);
        });
        return answers;
    }

    /** Every LDS/CDS/... response of the type that was sent has been acknowledged, none rejected. */
    private static boolean allAcknowledged(JsonNode status) {
        return status.path("responsesSent").asLong() > 0
                && status.path("responsesSent").asLong() == status.path("responsesAcknowledged").asLong()
                && status.path("responsesRejected").asLong() == 0;
    }

    private static void add(Map<String, Long> into, Map<String, Long> more) {
        more.forEach((instance, count) -> into.merge(instance, count, Long::sum));
    }

    /** A TrafficRoute from {@code source} to backend that splits between versions v1 and v2 with these weights. */
    private static String route(String mesh, String source, int weightV1, int weightV2) {
        return """
                type: TrafficRoute
                mesh: %s
                name: %s-to-backend
                sources: [{match: {kuma.io/service: %s}}]
                destinations: [{match: {kuma.io/service: backend}}]
                conf:
                  split:
                  - {weight: %d, destination: {kuma.io/service: backend, version: v1}}
                  - {weight: %d, destination: {kuma.io/service: backend, version: v2}}
                """.formatted(mesh, source, source, weightV1, weightV2);
    }

    /** The same route with three entries of the largest weight Ursa accepts: valid for Ursa, too much for gRPC. */
    private static String oversizedSplit(String mesh, String source) {
        return """
                type: TrafficRoute
                mesh: %s
                name: %s-to-backend
                sources: [{match: {kuma.io/service: %s}}]
                destinations: [{match: {kuma.io/service: backend}}]
                conf:
                  split:
                  - {weight: 4294967295, destination: {kuma.io/service: backend, version: v1}}
                  - {weight: 4294967295, destination: {kuma.io/service: backend, version: v2}}
                """.formatted(mesh, source, source);
    }

    private void ursactl(String stdin, String... args) throws Exception {
        Ursactl.Result result = ctl.run(stdin, args);
        assertThat(result.exitCode()).as("ursactl %s; stdout:\n%s\nstderr:\n%s", String.join(" ", args),
                result.out(), result.err()).isZero();
    }
}
