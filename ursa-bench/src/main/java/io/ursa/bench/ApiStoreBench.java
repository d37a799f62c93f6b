package io.ursa.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Issue-2 benchmark: applies N policies through the REST API, measures listing a page out of N, and the
 * control plane's start-to-ready time with N resources in its store. Runs the control plane as a separate
 * process ({@code io.ursa.cp.UrsaCp run}, same classpath), once per store: the in-memory store (the baseline), the
 * embedded store and the PostgreSQL store, and prints them with their ratios. For the PostgreSQL store it starts
 * its own server (fsync on) unless {@code --postgres-url host:port/db} or {@code URSA_BENCH_POSTGRES_URL} names
 * one ({@link BenchPostgres}).
 *
 * <pre>java -cp ursa-bench/target/ursa-bench.jar:ursa-bench/target/lib/* io.ursa.bench.ApiStoreBench [N] [clients]
 *     [--stores memory,embedded,postgres] [--postgres-url host:port/db]</pre>
 */
public final class ApiStoreBench {
    private record Result(String store, double writesPerSecond, double listP50Ms, double listP99Ms,
                          double restartToReadyMs) {
    }

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final int WARMUP_WRITES = 3_000;

    private final int resources;
    private final int clients;
    /** The server of the postgres store while it is measured, for its counters. */
    private BenchPostgres postgres;

    private ApiStoreBench(int resources, int clients) {
        this.resources = resources;
        this.clients = clients;
    }

    public static void main(String[] args) throws Exception {
        List<String> positional = new ArrayList<>();
        List<String> stores = List.of("memory", "embedded", "postgres");
        String postgresUrl = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--stores") || arg.equals("--postgres-url")) {
                if (i + 1 == args.length) {
                    throw new IllegalArgumentException("missing value of " + arg);
                }
                if (arg.equals("--stores")) {
                    stores = List.of(args[++i].split(","));
                } else {
                    postgresUrl = args[++i];
                }
            } else if (arg.startsWith("--")) {
                throw new IllegalArgumentException("unknown flag " + arg + " (expected: --stores, --postgres-url)");
            } else {
                positional.add(arg);
            }
        }
        for (String store : stores) {
            if (!List.of("memory", "embedded", "postgres").contains(store)) {
                throw new IllegalArgumentException("invalid --stores: " + store
                        + " (expected: a comma-separated list of memory, embedded, postgres)");
            }
        }
        int n = positional.size() > 0 ? Integer.parseInt(positional.get(0)) : 10_000;
        int c = positional.size() > 1 ? Integer.parseInt(positional.get(1)) : 8;
        ApiStoreBench bench = new ApiStoreBench(n, c);
        System.out.printf("Ursa API/store benchmark: %d policies, %d concurrent clients, %d cores, java %s%n",
                n, c, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        List<Result> results = new ArrayList<>();
        try (BenchPostgres postgres = !stores.contains("postgres") ? null
                : BenchPostgres.startOrConnect(postgresUrl, Files.createTempDirectory("ursa-bench-postgres-server"))) {
            if (postgres != null) {
                System.out.println("postgres store on " + postgres.describe());
            }
            for (String store : stores) {
                bench.postgres = store.equals("postgres") ? postgres : null;
                results.add(bench.run(store, store.equals("postgres") ? postgres.freshDatabase("ursa_bench")
                        : Map.of()));
            }
        }
        System.out.println();
        System.out.println("| store | writes/s | list page p50 (ms) | list page p99 (ms) | restart to ready (ms) |");
        System.out.println("|---|---|---|---|---|");
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "| %s | %.0f | %.2f | %.2f | %.0f |%n", r.store(), r.writesPerSecond(),
                    r.listP50Ms(), r.listP99Ms(), r.restartToReadyMs());
        }
        // every store over memory, then postgres over embedded
        for (String[] pair : List.of(new String[] {"embedded", "memory"}, new String[] {"postgres", "memory"},
                new String[] {"postgres", "embedded"})) {
            Result a = find(results, pair[0]);
            Result b = find(results, pair[1]);
            if (a != null && b != null) {
                System.out.printf(Locale.ROOT, "| %s / %s | %.2f | %.2f | %.2f | %.2f |%n", pair[0], pair[1],
                        a.writesPerSecond() / b.writesPerSecond(), a.listP50Ms() / b.listP50Ms(),
                        a.listP99Ms() / b.listP99Ms(), a.restartToReadyMs() / b.restartToReadyMs());
            }
        }
        if (find(results, "memory") != null) {
            System.out.println("(memory restart-to-ready starts empty: it keeps nothing; it is the process-start "
                    + "baseline)");
        }
    }

    private static Result find(List<Result> results, String store) {
        return results.stream().filter(r -> r.store().equals(store)).findFirst().orElse(null);
    }

    private Result run(String storeType, Map<String, String> storeEnv) throws Exception {
        Path dir = Files.createTempDirectory("ursa-bench-" + storeType);
        double writes;
        double[] list;
        try (ControlPlaneProcess cp = ControlPlaneProcess.start(storeType, storeEnv, dir, List.of())) {
            // warm the JIT up on another mesh first, so the figure is the steady state, not compilation
            put(cp.api() + "/meshes/warmup", "{\"type\":\"Mesh\",\"name\":\"warmup\"}");
            applyAll(cp.api(), "warmup", WARMUP_WRITES);
            String db = storeEnv.get("URSA_STORE_POSTGRES_DB_NAME");
            BenchPostgres.Counters before = postgres == null ? null : postgres.counters(db);
            writes = applyAll(cp.api(), "default", resources);
            if (postgres != null) {
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(600));
                System.out.println(postgres.counters(db).perOperation(before, resources, "API write"));
                before = postgres.counters(db);
            }
            list = listPages(cp.api());
            if (postgres != null) {
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(600));
                System.out.println(postgres.counters(db).perOperation(before, 1200, "page listed"));
            }
        }
        double restart;
        try (ControlPlaneProcess cp = ControlPlaneProcess.start(storeType, storeEnv, dir, List.of())) {
            restart = cp.startToReadyMs;
        }
        System.out.printf(Locale.ROOT, "%s: %.0f writes/s, list p50 %.2f ms p99 %.2f ms, restart to ready %.0f ms%n",
                storeType, writes, list[0], list[1], restart);
        return new Result(storeType, writes, list[0], list[1], restart);
    }

    private void put(String url, String body) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("PUT " + url + ": " + r.statusCode() + " " + r.body());
        }
    }

    private double applyAll(String api, String mesh, int count) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        List<Future<Integer>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            futures.add(pool.submit(() -> {
                int failures = 0;
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    String name = String.format("tp-%05d", i);
                    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(
                                    api + "/meshes/" + mesh + "/traffic-permissions/" + name))
                            .header("Content-Type", "application/json")
                            .PUT(HttpRequest.BodyPublishers.ofString(policy(mesh, name, i))).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() / 100 != 2) {
                        failures++;
                        System.err.println("PUT " + name + ": " + r.statusCode() + " " + r.body());
                    }
                }
                return failures;
            }));
        }
        int failures = 0;
        for (Future<Integer> f : futures) {
            failures += f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        if (failures > 0) {
            throw new IllegalStateException(failures + " writes failed");
        }
        return count / seconds;
    }

    private double[] listPages(String api) throws Exception {
        Random random = new Random(42);
        int warmup = 200;
        int samples = 1000;
        double[] ms = new double[samples];
        for (int i = 0; i < warmup + samples; i++) {
            int offset = random.nextInt(Math.max(1, resources - 100));
            long t0 = System.nanoTime();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(
                    api + "/meshes/default/traffic-permissions?size=100&offset=" + offset)).build(),
                    HttpResponse.BodyHandlers.ofString());
            long t1 = System.nanoTime();
            if (r.statusCode() != 200) {
                throw new IllegalStateException("list failed: " + r.statusCode() + " " + r.body());
            }
            if (i >= warmup) {
                ms[i - warmup] = (t1 - t0) / 1e6;
            }
        }
        Arrays.sort(ms);
        return new double[] {ms[samples / 2], ms[(int) Math.ceil(samples * 0.99) - 1]};
    }

    private static String policy(String mesh, String name, int i) {
        return "{\"type\":\"TrafficPermission\",\"mesh\":\"" + mesh + "\",\"name\":\"" + name + "\","
                + "\"sources\":[{\"match\":{\"kuma.io/service\":\"client-" + (i % 100) + "\"}}],"
                + "\"destinations\":[{\"match\":{\"kuma.io/service\":\"backend-" + (i % 37) + "\"}}]}";
    }
}
