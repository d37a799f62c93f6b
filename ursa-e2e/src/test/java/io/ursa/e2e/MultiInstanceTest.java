package io.ursa.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@code bin/ursa-cp} processes on one PostgreSQL database, started together, as a highly available control
 * plane is run: the defaults exist once, every instance lists the same instances and leader, a policy written
 * through one instance reaches a real grpc-xds client served by another within a second, and racing conditional
 * updates through the three are each applied or refused with 409, none lost.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MultiInstanceTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Path LOGS = Path.of("target", "e2e-logs");
    private static final String MESH = "ha";
    private static final ObjectMapper JSON = new ObjectMapper();

    private PostgresServer postgres;
    private final List<CpProcess> cps = new ArrayList<>();
    private ProxylessApps apps;

    @BeforeAll
    void startThreeInstances(@TempDir Path dir) throws Exception {
        postgres = PostgresServer.start(dir.resolve("pg"));
        Map<String, String> database = postgres.migratedDatabase("ursa_ha", LOGS);
        ExecutorService starting = Executors.newFixedThreadPool(3);
        try {
            List<Future<CpProcess>> started = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Path store = dir.resolve("unused-" + i);
                started.add(starting.submit(() -> CpProcess.start(store, LOGS, database)));
            }
            for (Future<CpProcess> f : started) {
                cps.add(f.get(90, TimeUnit.SECONDS));
            }
        } finally {
            starting.shutdownNow();
        }
        Ursactl ctlOfB = new Ursactl(dir.resolve("ursactl.yaml"));
        assertThat(ctlOfB.run(null, "config", "control-planes", "add", "--name", "b", "--address",
                cps.get(1).apiUrl()).exitCode()).isZero();
        assertThat(ctlOfB.run("type: Mesh\nname: " + MESH, "apply", "-f", "-").exitCode()).isZero();
        apps = new ProxylessApps(cps.get(1), ctlOfB, dir.resolve("apps"));
        apps.tokens(MESH);
    }

    @AfterAll
    void stopAll() throws Exception {
        try {
            if (apps != null) {
                apps.close();
            }
        } finally {
            for (CpProcess cp : cps) {
                cp.close();
            }
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    @Test
    void theDefaultsAreCreatedOnceAndEveryInstanceListsTheSameInstancesAndLeader() throws Exception {
        for (CpProcess cp : cps) {
            CpApi api = new CpApi(cp.apiUrl());
            JsonNode mesh = api.get("/meshes/default").orElseThrow();
            assertThat(mesh.path("name").asText()).isEqualTo("default");
        }
        long creators = cps.stream().filter(cp -> cp.output().contains("created the default mesh")).count();
        assertThat(creators).as("instances that created the default mesh").isEqualTo(1);
        long signers = cps.stream().filter(cp -> cp.output().contains("created the user-token signing key")).count();
        assertThat(signers).as("instances that created the user-token signing key").isEqualTo(1);

        Set<String> ids = new HashSet<>();
        for (CpProcess cp : cps) {
            ids.add(new CpApi(cp.apiUrl()).get("/").orElseThrow().path("instanceId").asText());
        }
        assertThat(ids).hasSize(3);
        String[] leaders = new String[3];
        for (int i = 0; i < 3; i++) {
            CpApi api = new CpApi(cps.get(i).apiUrl());
            String self = api.get("/").orElseThrow().path("instanceId").asText();
            int index = i;
            await().atMost(WAIT).untilAsserted(() -> {
                JsonNode list = api.get("/control-planes").orElseThrow();
                assertThat(list.path("items").findValuesAsText("id")).containsExactlyInAnyOrderElementsOf(ids);
                List<String> leader = new ArrayList<>();
                list.path("items").forEach(item -> {
                    if (item.path("leader").asBoolean()) {
                        leader.add(item.path("id").asText());
                    }
                    assertThat(item.path("self").asBoolean()).isEqualTo(item.path("id").asText().equals(self));
                });
                assertThat(leader).hasSize(1);
                leaders[index] = leader.get(0);
            });
        }
        assertThat(leaders[1]).isEqualTo(leaders[0]);
        assertThat(leaders[2]).isEqualTo(leaders[0]);
    }

    @Test
    void aPolicyWrittenThroughOneInstanceReachesAClientServedByAnotherWithinASecond() throws Exception {
        App v1 = App.server(MESH, "echo-v1", "echo", "v1");
        App v2 = App.server(MESH, "echo-v2", "echo", "v2");
        App caller = App.client(MESH, "caller");
        apps.prepare(v1, v2, caller);
        apps.serve(v1);
        apps.serve(v2);
        ManagedChannel channel = apps.channel(caller, "echo");
        Map<String, Long> answers = new HashMap<>();
        await().atMost(WAIT).untilAsserted(() -> {
            WhoAmI.count(channel, 10).forEach((instance, count) -> answers.merge(instance, count, Long::sum));
            assertThat(answers.keySet()).contains(v1.instance(), v2.instance());
        });
        String instanceOfB = new CpApi(cps.get(1).apiUrl()).get("/").orElseThrow().path("instanceId").asText();
        JsonNode callerOverview = new CpApi(cps.get(0).apiUrl())
                .get("/meshes/" + MESH + "/dataplanes+insights/caller").orElseThrow();
        JsonNode subscriptions = callerOverview.path("dataplaneInsight").path("subscriptions");
        assertThat(subscriptions.get(subscriptions.size() - 1).path("controlPlaneInstanceId").asText())
                .as("asked through instance A, the caller is connected to instance B").isEqualTo(instanceOfB);

        // Through instance A: every call of the caller to echo is aborted by the caller itself (grpc-xds applies
        // FaultInjection aborts on the client side). A change that keeps every cluster's name, so that what is
        // measured is the way from one instance to another, not a routing transition.
        long written = System.nanoTime();
        new CpApi(cps.get(0).apiUrl()).put("/meshes/" + MESH + "/fault-injections/caller-to-echo", """
                {"type": "FaultInjection", "mesh": "%s", "name": "caller-to-echo",
                 "sources": [{"match": {"kuma.io/service": "caller"}}],
                 "destinations": [{"match": {"kuma.io/service": "echo", "kuma.io/protocol": "grpc"}}],
                 "conf": {"abort": {"httpStatus": 503, "percentage": 100}}}
                """.formatted(MESH));
        long[] reached = new long[1];
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() -> {
            try {
                WhoAmI.call(channel, Duration.ofSeconds(2));
                return false;
            } catch (StatusRuntimeException e) {
                assertThat(e.getStatus().getDescription()).as("the call's failure: %s", e.getStatus())
                        .containsIgnoringCase("fault injection");
                reached[0] = System.nanoTime();
                return true;
            }
        });
        Duration propagation = Duration.ofNanos(reached[0] - written);
        System.out.printf("a FaultInjection written through instance A reached the client served by instance B in"
                + " %d ms%n", propagation.toMillis());
        assertThat(propagation).as("from the write through A to the first call it aborted on B's client")
                .isLessThanOrEqualTo(Duration.ofSeconds(1));
        new CpApi(cps.get(2).apiUrl()).delete("/meshes/" + MESH + "/fault-injections/caller-to-echo");
        await().atMost(WAIT).ignoreExceptions().until(() -> WhoAmI.call(channel, Duration.ofSeconds(2)) != null);
    }

    @Test
    void conditionalUpdatesRacingThroughThreeInstancesAreEachAppliedOrRefusedAndNoneIsLost() throws Exception {
        String path = "/meshes/" + MESH + "/traffic-permissions/contended";
        new CpApi(cps.get(0).apiUrl()).put(path, permission("writer-start"));
        int rounds = 15;
        record Outcome(String source, int status, long version) {
        }
        ExecutorService writers = Executors.newFixedThreadPool(3);
        List<Future<List<Outcome>>> futures = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            CpProcess cp = cps.get(w);
            int writer = w;
            futures.add(writers.submit((Callable<List<Outcome>>) () -> {
                HttpClient http = HttpClient.newHttpClient();
                List<Outcome> outcomes = new ArrayList<>();
                for (int round = 0; round < rounds; round++) {
                    HttpResponse<String> read = http.send(HttpRequest.newBuilder(URI.create(cp.apiUrl() + path))
                            .build(), HttpResponse.BodyHandlers.ofString());
                    String etag = read.headers().firstValue("ETag").orElseThrow();
                    String source = "writer-" + writer + "-" + round;
                    HttpResponse<String> written = http.send(HttpRequest.newBuilder(URI.create(cp.apiUrl() + path))
                            .header("Content-Type", "application/json").header("If-Match", etag)
                            .PUT(HttpRequest.BodyPublishers.ofString(permission(source))).build(),
                            HttpResponse.BodyHandlers.ofString());
                    long version = written.headers().firstValue("ETag")
                            .map(t -> Long.parseLong(t.replace("\"", ""))).orElse(0L);
                    assertThat(written.statusCode()).as("PUT through instance %d: %s", writer, written.body())
                            .isIn(200, 409);
                    outcomes.add(new Outcome(source, written.statusCode(), version));
                }
                return outcomes;
            }));
        }
        List<Outcome> all = new ArrayList<>();
        for (Future<List<Outcome>> f : futures) {
            all.addAll(f.get(120, TimeUnit.SECONDS));
        }
        writers.shutdownNow();

        List<Outcome> applied = all.stream().filter(o -> o.status() == 200).toList();
        JsonNode stored = new CpApi(cps.get(2).apiUrl()).get(path).orElseThrow();
        HttpResponse<String> head = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(cps.get(2).apiUrl() + path)).build(), HttpResponse.BodyHandlers.ofString());
        long finalVersion = Long.parseLong(head.headers().firstValue("ETag").orElseThrow().replace("\"", ""));
        System.out.printf("racing updates: %d applied, %d refused with 409%n", applied.size(),
                all.size() - applied.size());
        assertThat(applied).as("updates applied").isNotEmpty();
        assertThat(applied.stream().map(Outcome::version).distinct().count()).as("each applied update has its own"
                + " version").isEqualTo(applied.size());
        assertThat(finalVersion).as("every applied update is one version: none was overwritten unseen")
                .isEqualTo(1 + applied.size());
        Outcome last = applied.stream().max((a, b) -> Long.compare(a.version(), b.version())).orElseThrow();
        assertThat(stored.at("/sources/0/match/kuma.io~1service").asText()).as("the stored spec is the last applied")
                .isEqualTo(last.source());
    }

    private static String permission(String source) {
        return """
                {"type": "TrafficPermission", "mesh": "%s", "name": "contended",
                 "sources": [{"match": {"kuma.io/service": "%s"}}],
                 "destinations": [{"match": {"kuma.io/service": "*"}}]}
                """.formatted(MESH, source);
    }
}
