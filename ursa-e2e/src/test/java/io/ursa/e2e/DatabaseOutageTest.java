package io.ursa.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PostgreSQL server under two {@code bin/ursa-cp run} processes stops in the middle of a stream of writes through
 * both instances' APIs, stays away for longer than the cluster's lease (5 s, so each instance finds the other's
 * heartbeat stale when it comes back, as after any real restart of the database), and starts again:
 * <ul>
 *   <li>while it is away, writes and reads answer 503 in Kuma's error JSON naming the database
 *       ({@code PostgreSQL <db> at 127.0.0.1:<port>}), never 500; {@code /ready} answers 503 with the reason;
 *       {@code ursactl} says the same; proxyless applications connected to either instance keep calling with the
 *       configuration they have;</li>
 *   <li>when it is back, both instances are ready again without a restart, writes succeed, every write that was
 *       acknowledged (2xx) is there, a change written through one instance reaches an application connected to
 *       the other (the change feed listens again, or its resync catches up), and no proxy that stayed connected
 *       through the outage loses its Dataplane to the leader's sweep.</li>
 * </ul>
 * The store's {@code connectionTimeout} is 2 s here (5 s by default) so that a request during the outage fails
 * sooner; the deregistration delay is 2 s so that a wrongly removed Dataplane would go within the test.
 *
 * <p>What it cannot show here: a database on another host whose network fails without closing the connections
 * (TCP keepalives and timeouts then decide how soon instances notice); PostgreSQL failing over to a replica.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class DatabaseOutageTest {
    private static final Path LOGS = Path.of("target", "e2e-logs");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Longer than the cluster's 5 s lease. */
    private static final Duration OUTAGE = Duration.ofSeconds(7);
    private static final Duration RECOVERY = Duration.ofSeconds(30);
    private static final Duration DEREGISTRATION_DELAY = Duration.ofSeconds(2);
    private static final String DB = "outage";
    private static final String MESH = "apps";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private PostgresServer postgres;
    private final List<CpProcess> cps = new CopyOnWriteArrayList<>();
    private final List<ProxylessApps> appSets = new ArrayList<>();

    @RegisterExtension
    final CpLogOnFailure cp0Log = new CpLogOnFailure(() -> cp(0));
    @RegisterExtension
    final CpLogOnFailure cp1Log = new CpLogOnFailure(() -> cp(1));

    @BeforeAll
    void startTwoInstances(@TempDir Path dir) throws Exception {
        postgres = PostgresServer.start(dir.resolve("pg"));
        Map<String, String> env = new HashMap<>(postgres.migratedDatabase(DB, LOGS));
        env.put("URSA_STORE_POSTGRES_CONNECTION_TIMEOUT", "2s");
        env.put("URSA_XDS_SERVER_DATAPLANE_DEREGISTRATION_DELAY", DEREGISTRATION_DELAY.toSeconds() + "s");
        cps.add(CpProcess.start(dir.resolve("store-0"), LOGS, env));
        cps.add(CpProcess.start(dir.resolve("store-1"), LOGS, env));
    }

    @AfterAll
    void stopEverything() throws Exception {
        try {
            for (ProxylessApps apps : appSets) {
                apps.close();
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

    @Test
    void instancesAnswer503NamingTheDatabaseWhileItIsAwayAndRecoverEveryAcknowledgedWriteWithoutARestart(
            @TempDir Path dir) throws Exception {
        CpProcess first = cps.get(0);
        CpProcess second = cps.get(1);
        String database = "PostgreSQL " + DB + " at 127.0.0.1:" + postgres.port();
        Ursactl ctl = new Ursactl(dir.resolve("ursactl.yaml"));
        ursactl(ctl, "config", "control-planes", "add", "--name", "e2e", "--address", first.apiUrl());
        new CpApi(first.apiUrl()).put("/meshes/" + MESH, "{\"type\":\"Mesh\",\"name\":\"" + MESH + "\"}");

        // echo's two versions connected to the first instance, the caller to the second
        ProxylessApps atFirst = apps(first, ctl, dir.resolve("apps-first"));
        ProxylessApps atSecond = apps(second, ctl, dir.resolve("apps-second"));
        App v1 = App.server(MESH, "echo-v1", "echo", "v1");
        App v2 = App.server(MESH, "echo-v2", "echo", "v2");
        App caller = App.client(MESH, "caller");
        atFirst.tokens(MESH);
        atFirst.prepare(v1, v2);
        Map<String, ?> callerBootstrap = atSecond.bootstrap(caller, atFirst.token(MESH));
        atFirst.serve(v1);
        atFirst.serve(v2);
        ManagedChannel callerChannel = atSecond.channel(callerBootstrap, "echo");
        await().atMost(WAIT).untilAsserted(() -> assertThat(WhoAmI.count(callerChannel, 10).keySet())
                .containsExactlyInAnyOrder(v1.instance(), v2.instance()));

        Writer throughFirst = new Writer("a", first);
        Writer throughSecond = new Writer("b", second);
        List<Writer> writers = List.of(throughFirst, throughSecond);
        try (Calls calls = Calls.start(Map.of("caller", callerChannel))) {
            writers.forEach(Writer::start);
            await().atMost(WAIT).until(() -> writers.stream().allMatch(w -> w.acknowledged().size() >= 20));

            long stopping = System.nanoTime();
            postgres.stop();
            long stopped = System.nanoTime();
            System.out.printf("DatabaseOutageTest: PostgreSQL stopped in %d ms, with %s writes acknowledged%n",
                    millis(stopping, stopped), acknowledgedCounts(writers));

            await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> !ready(first).isEmpty()
                    && !ready(second).isEmpty());
            System.out.printf("DatabaseOutageTest: /ready answered 503 on both %d ms after the stop began: %s%n",
                    since(stopping), ready(first).strip());
            assertThat(ready(first)).as("/ready of the first instance").contains(database);
            assertThat(ready(second)).as("/ready of the second instance").contains(database);
            await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                    .until(() -> writers.stream().allMatch(w -> w.firstUnavailable() > 0));
            System.out.printf("DatabaseOutageTest: the first writes answered 503 %d ms (first) and %d ms (second)"
                    + " after the stop began%n", millis(stopping, throughFirst.firstUnavailable()),
                    millis(stopping, throughSecond.firstUnavailable()));

            for (CpProcess cp : cps) {
                assertUnavailable(database, put(cp, "/meshes/default/traffic-permissions/probe",
                        permission("probe")), "PUT a TrafficPermission");
                assertUnavailable(database, get(cp, "/meshes/default/traffic-permissions"), "GET TrafficPermissions");
                assertUnavailable(database, get(cp, "/meshes"), "GET /meshes");
            }
            Ursactl.Result applied = ctl.run("type: Mesh\nname: during-outage\n", "apply", "-f", "-");
            System.out.printf("DatabaseOutageTest: ursactl apply during the outage exited %d: %s%n",
                    applied.exitCode(), (applied.out() + applied.err()).strip());
            assertThat(applied.exitCode()).as("ursactl apply during the outage").isNotZero();
            assertThat(applied.out() + applied.err()).as("what ursactl apply printed").contains(database);

            // the outage lasts longer than the lease; the application keeps calling and /ready keeps saying why
            await().during(OUTAGE.minus(Duration.ofNanos(System.nanoTime() - stopped)))
                    .atMost(OUTAGE.plus(WAIT)).pollInterval(Duration.ofMillis(500))
                    .until(() -> !ready(first).isEmpty() && !ready(second).isEmpty());

            long starting = System.nanoTime();
            postgres.startAgain();
            long started = System.nanoTime();
            long outage = millis(stopping, started);
            System.out.printf("DatabaseOutageTest: PostgreSQL started again in %d ms, %d ms after it was stopped%n",
                    millis(starting, started), outage);
            Map<String, Long> readyAgain = new TreeMap<>();
            Map<String, Answer> firstWriteWhenReady = new TreeMap<>();
            await().atMost(RECOVERY).pollInterval(Duration.ofMillis(100)).until(() -> {
                for (int i = 0; i < cps.size(); i++) {
                    String id = "cp-" + i;
                    if (!readyAgain.containsKey(id) && ready(cps.get(i)).isEmpty()) {
                        readyAgain.put(id, since(started));
                        // ready means ready to write: the pool must have its connections back, not only the cluster
                        firstWriteWhenReady.put(id, put(cps.get(i), "/meshes/default/traffic-permissions/ready-" + i,
                                permission("ready-" + i)));
                    }
                }
                return readyAgain.size() == cps.size();
            });
            System.out.printf("DatabaseOutageTest: ready again after the start, in ms: %s%n", readyAgain);
            firstWriteWhenReady.forEach((id, answer) -> assertThat(answer.status())
                    .as("a write through %s as soon as its /ready answered 200: %s", id, answer.body())
                    .isBetween(200, 201));
            int before = throughFirst.acknowledged().size() + throughSecond.acknowledged().size();
            await().atMost(RECOVERY).pollInterval(Duration.ofMillis(100)).until(() ->
                    writers.stream().allMatch(w -> w.acknowledgedSince(started) > 0));
            System.out.printf("DatabaseOutageTest: writes succeed again through both instances %d ms after the"
                    + " start%n", since(started));
            for (Writer writer : writers) {
                writer.stop();
            }
            System.out.printf("DatabaseOutageTest: %s writes acknowledged (%d before the recovery), answers %s%n",
                    acknowledgedCounts(writers), before, statusCounts(writers));
            for (Writer writer : writers) {
                assertThat(writer.unexpected()).as("answers other than 2xx and 503 through " + writer.prefix)
                        .isEmpty();
                assertThat(writer.statuses()).as("answers through " + writer.prefix).containsKey(503);
            }

            for (CpProcess cp : cps) {
                Set<String> stored = names(cp, "/meshes/default/traffic-permissions");
                for (Writer writer : writers) {
                    assertThat(stored).as("TrafficPermissions listed by %s: every acknowledged write through %s",
                            cp.apiUrl(), writer.prefix).containsAll(writer.acknowledged());
                }
            }

            // Calls until here. Not across the route change below: a change that renames a client's clusters can
            // fail a call of a connected client (CDS drops the old cluster before RDS moves off it), outage or not.
            calls.close();
            assertThat(calls.failures()).as("the caller's failed calls, through the outage and the recovery")
                    .isEmpty();
            System.out.printf("DatabaseOutageTest: the caller's calls: %s, none failed%n", calls.counts());

            // a change written through the first instance reaches the caller, connected to the second
            long routed = System.nanoTime();
            new CpApi(first.apiUrl()).put("/meshes/" + MESH + "/traffic-routes/to-v2", """
                    {"type":"TrafficRoute","mesh":"%s","name":"to-v2",
                     "sources":[{"match":{"kuma.io/service":"caller"}}],
                     "destinations":[{"match":{"kuma.io/service":"echo"}}],
                     "conf":{"destination":{"kuma.io/service":"echo","version":"v2"}}}""".formatted(MESH));
            await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                    assertThat(WhoAmI.count(callerChannel, 10).keySet()).containsOnly(v2.instance()));
            System.out.printf("DatabaseOutageTest: a route written through the first instance after the outage"
                    + " reached the caller on the second in %d ms%n", since(routed));

            // the proxies stayed connected: no sweep after the outage takes their Dataplanes
            CpApi api = new CpApi(first.apiUrl());
            await().during(DEREGISTRATION_DELAY.plus(Duration.ofSeconds(3))).atMost(WAIT)
                    .pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                        for (App app : List.of(v1, v2, caller)) {
                            assertThat(api.get("/meshes/" + MESH + "/dataplanes/" + app.name()))
                                    .as("the Dataplane of %s, connected all along", app.instance()).isPresent();
                        }
                    });
        } finally {
            for (Writer writer : writers) {
                writer.stop();
            }
        }
        for (CpProcess cp : cps) {
            assertThat(cp.output()).as("the log of " + cp.apiUrl()).doesNotContain("deregistered Dataplane " + MESH);
        }
    }

    private static void assertUnavailable(String database, Answer answer, String what) throws IOException {
        assertThat(answer.status()).as("%s during the outage: %s", what, answer.body()).isEqualTo(503);
        JsonNode error = JSON.readTree(answer.body());
        assertThat(error.path("title").asText()).as("%s: title", what).isNotBlank();
        assertThat(error.path("details").asText()).as("%s: details", what).contains(database);
    }

    private void ursactl(Ursactl ctl, String... args) throws Exception {
        Ursactl.Result result = ctl.run(null, args);
        assertThat(result.exitCode()).as("ursactl %s: %s %s", String.join(" ", args), result.out(), result.err())
                .isZero();
    }

    /** Empty when {@code /ready} answers 200, else its answer (the reason). */
    private String ready(CpProcess cp) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + cp.diagnosticsPort + "/ready")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
            return "";
        }
        assertThat(response.statusCode()).as("/ready: %s", response.body()).isEqualTo(503);
        return response.body();
    }

    /** Every name listed under {@code path}, page after page. */
    private Set<String> names(CpProcess cp, String path) throws Exception {
        Set<String> names = new TreeSet<>();
        int offset = 0;
        while (true) {
            Answer answer = get(cp, path + "?size=1000&offset=" + offset);
            assertThat(answer.status()).as("GET %s: %s", path, answer.body()).isEqualTo(200);
            JsonNode list = JSON.readTree(answer.body());
            list.path("items").forEach(item -> names.add(item.path("name").asText()));
            if (list.path("next").isNull() || list.path("items").isEmpty()) {
                return names;
            }
            offset += list.path("items").size();
        }
    }

    record Answer(int status, String body) {
    }

    private Answer get(CpProcess cp, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(cp.apiUrl() + path))
                .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body());
    }

    private Answer put(CpProcess cp, String path, String json) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(cp.apiUrl() + path))
                .timeout(Duration.ofSeconds(15)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body());
    }

    private static String permission(String name) {
        return """
                {"type":"TrafficPermission","mesh":"default","name":"%s",
                 "sources":[{"match":{"kuma.io/service":"*"}}],
                 "destinations":[{"match":{"kuma.io/service":"%s"}}]}""".formatted(name, name);
    }

    private static Map<String, Integer> acknowledgedCounts(List<Writer> writers) {
        Map<String, Integer> counts = new TreeMap<>();
        writers.forEach(w -> counts.put(w.prefix, w.acknowledged().size()));
        return counts;
    }

    private static Map<String, Map<Integer, Long>> statusCounts(List<Writer> writers) {
        Map<String, Map<Integer, Long>> counts = new TreeMap<>();
        writers.forEach(w -> counts.put(w.prefix, w.statuses()));
        return counts;
    }

    private ProxylessApps apps(CpProcess cp, Ursactl ctl, Path dir) throws Exception {
        ProxylessApps apps = new ProxylessApps(cp, ctl, dir);
        appSets.add(apps);
        return apps;
    }

    private CpProcess cp(int index) {
        return cps.size() > index ? cps.get(index) : null;
    }

    private static long since(long nanos) {
        return millis(nanos, System.nanoTime());
    }

    private static long millis(long fromNanos, long toNanos) {
        return Duration.ofNanos(toNanos - fromNanos).toMillis();
    }

    /**
     * Creates TrafficPermissions {@code p-<prefix>-0001}, {@code -0002}, ... one after another through one
     * instance's API, as {@code ursactl apply} would: what was acknowledged (200/201) and when, how many answers of
     * each status, and any answer other than 2xx or 503 (or no answer).
     */
    private final class Writer {
        final String prefix;
        private final CpProcess cp;
        private final List<String> acknowledged = new CopyOnWriteArrayList<>();
        private final List<Long> acknowledgedAt = new CopyOnWriteArrayList<>();
        private final Map<Integer, AtomicLong> statuses = new java.util.concurrent.ConcurrentSkipListMap<>();
        private final List<String> unexpected = new CopyOnWriteArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong firstUnavailable = new AtomicLong();
        private final Thread thread;

        Writer(String prefix, CpProcess cp) {
            this.prefix = prefix;
            this.cp = cp;
            this.thread = new Thread(this::run, "writer-" + prefix);
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        private void run() {
            for (int i = 1; running.get(); i++) {
                String name = "p-%s-%04d".formatted(prefix, i);
                try {
                    Answer answer = put(cp, "/meshes/default/traffic-permissions/" + name, permission(name));
                    statuses.computeIfAbsent(answer.status(), s -> new AtomicLong()).incrementAndGet();
                    if (answer.status() == 200 || answer.status() == 201) {
                        acknowledged.add(name);
                        acknowledgedAt.add(System.nanoTime());
                    } else if (answer.status() == 503) {
                        firstUnavailable.compareAndSet(0, System.nanoTime());
                        Thread.sleep(50); // pacing while the database is away, not waiting for a condition
                    } else {
                        unexpected.add(name + ": " + answer.status() + " " + answer.body());
                    }
                } catch (IOException e) {
                    unexpected.add(name + ": no answer: " + e);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        List<String> acknowledged() {
            return List.copyOf(acknowledged);
        }

        long acknowledgedSince(long nanos) {
            return acknowledgedAt.stream().filter(t -> t - nanos > 0).count();
        }

        long firstUnavailable() {
            return firstUnavailable.get();
        }

        Map<Integer, Long> statuses() {
            Map<Integer, Long> copy = new TreeMap<>();
            statuses.forEach((status, count) -> copy.put(status, count.get()));
            return copy;
        }

        List<String> unexpected() {
            return List.copyOf(unexpected);
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join(20_000);
        }
    }
}
