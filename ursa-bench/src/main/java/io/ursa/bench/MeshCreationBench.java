package io.ursa.bench;

import io.ursa.core.keys.RsaKeyPool;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Issue-17 benchmark (item 6, "mesh creation at most 20 ms"): creates meshes the way a user does, with
 * {@code PUT /meshes/{name}} on a control plane on the embedded (SQLite) store, run as its own process
 * ({@link ControlPlaneProcess}), and reports the latency the client sees. It runs the control plane twice in one
 * run: with the RSA key pool off ({@code -Dursa.rsaKeyPool.size=0}, the baseline: every key generated while the
 * request waits) and with the pool as shipped, and prints both and their ratios.
 *
 * <p>For each control plane and each kind of mesh (plain; with a {@code builtin} CA, which adds a root key; plain
 * without default policies, {@code skipCreatingInitialPolicies: ["*"]}, to show what the default policies cost):
 * <ol>
 *   <li>one mesh at a time with a pause between (long enough for the pool to refill: what a user sees), after a
 *       warm-up, reporting p50, p99 and max;</li>
 *   <li>a burst of meshes back to back from one client after a pause, reporting meshes per second: the pool runs
 *       dry after a few, then keys are generated on the request's thread.</li>
 * </ol>
 * Before that it starts each control plane {@value #STARTS} times on an empty store (off, on, off, ...) and reports
 * the median time to ready: the first start creates signing keys and mesh {@code default}, and the pool must not
 * make it slower.
 *
 * <pre>java -cp 'ursa-bench/target/ursa-bench.jar:ursa-bench/target/lib/*' io.ursa.bench.MeshCreationBench
 *     [meshes per kind, default 40] [pause ms, default 500] [burst size, default 30]</pre>
 */
public final class MeshCreationBench {
    private static final int WARMUP = 15;
    private static final int STARTS = 5;
    private static final Duration AFTER_BURST = Duration.ofSeconds(3);

    private enum Kind {
        PLAIN("plain", ""),
        BUILTIN_CA("builtin CA", ",\"mtls\":{\"enabledBackend\":\"ca-1\",\"backends\":[{\"name\":\"ca-1\","
                + "\"type\":\"builtin\"}]}"),
        NO_DEFAULT_POLICIES("plain, no default policies", ",\"skipCreatingInitialPolicies\":[\"*\"]");

        final String label;
        final String extraJson;

        Kind(String label, String extraJson) {
            this.label = label;
            this.extraJson = extraJson;
        }
    }

    private record Row(String pool, Kind kind, double p50, double p99, double max, double burstPerSecond) {
    }

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final int meshes;
    private final long pauseMs;
    private final int burst;
    private int sequence;

    private MeshCreationBench(int meshes, long pauseMs, int burst) {
        this.meshes = meshes;
        this.pauseMs = pauseMs;
        this.burst = burst;
    }

    public static void main(String[] args) throws Exception {
        int meshes = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        long pause = args.length > 1 ? Long.parseLong(args[1]) : 500;
        int burst = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        if (meshes < 1 || pause < 0 || burst < 1) {
            throw new IllegalArgumentException("invalid arguments " + Arrays.toString(args)
                    + " (expected: meshes per kind >= 1, pause ms >= 0, burst size >= 1)");
        }
        System.out.printf("Ursa mesh creation benchmark: %d meshes per kind one at a time (%d ms apart), bursts of "
                + "%d, embedded store, %d cores, java %s%n", meshes, pause, burst,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        MeshCreationBench bench = new MeshCreationBench(meshes, pause, burst);
        List<String> poolOff = List.of("-D" + RsaKeyPool.SIZE_PROPERTY + "=0");
        // the pool must not slow the control plane's first start (which creates keys and mesh default)
        double[] startOff = new double[STARTS];
        double[] startOn = new double[STARTS];
        for (int i = 0; i < STARTS; i++) {
            startOff[i] = firstStartMs(poolOff);
            startOn[i] = firstStartMs(List.of());
        }
        List<Row> rows = new ArrayList<>();
        rows.addAll(bench.run("off", poolOff));
        rows.addAll(bench.run("on", List.of()));

        System.out.println();
        System.out.println("| key pool | mesh | p50 (ms) | p99 (ms) | max (ms) | burst (meshes/s) |");
        System.out.println("|---|---|---|---|---|---|");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.1f | %.1f |%n", r.pool(), r.kind().label,
                    r.p50(), r.p99(), r.max(), r.burstPerSecond());
        }
        for (Kind kind : Kind.values()) {
            Row off = find(rows, "off", kind);
            Row on = find(rows, "on", kind);
            System.out.printf(Locale.ROOT, "| on / off | %s | %.2f | %.2f | %.2f | %.2f |%n", kind.label,
                    on.p50() / off.p50(), on.p99() / off.p99(), on.max() / off.max(),
                    on.burstPerSecond() / off.burstPerSecond());
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "first start to ready on an empty store, median of %d: key pool off %.0f ms "
                + "%s, on %.0f ms %s, on / off %.2f%n", STARTS, median(startOff), Arrays.toString(startOff),
                median(startOn), Arrays.toString(startOn), median(startOn) / median(startOff));
    }

    /** Start to ready of a control plane on a new, empty embedded store; the process is stopped again. */
    private static double firstStartMs(List<String> jvmArgs) throws Exception {
        Path dir = Files.createTempDirectory("ursa-bench-meshes-start");
        try (ControlPlaneProcess cp = ControlPlaneProcess.start("embedded", Map.of(), dir, jvmArgs)) {
            return cp.startToReadyMs;
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static Row find(List<Row> rows, String pool, Kind kind) {
        return rows.stream().filter(r -> r.pool().equals(pool) && r.kind() == kind).findFirst().orElseThrow();
    }

    private List<Row> run(String pool, List<String> jvmArgs) throws Exception {
        Path dir = Files.createTempDirectory("ursa-bench-meshes-" + pool);
        List<Row> rows = new ArrayList<>();
        try (ControlPlaneProcess cp = ControlPlaneProcess.start("embedded", Map.of(), dir, jvmArgs)) {
            System.out.printf(Locale.ROOT, "key pool %s: control plane ready in %.0f ms%n", pool, cp.startToReadyMs);
            // warm the JIT and the HTTP connection up, every kind, with the same pauses
            for (Kind kind : Kind.values()) {
                oneAtATime(cp.api(), kind, WARMUP);
            }
            for (Kind kind : Kind.values()) {
                double[] ms = oneAtATime(cp.api(), kind, meshes);
                pause();
                double perSecond = burst(cp.api(), kind);
                int slowest = 0;
                for (int i = 1; i < ms.length; i++) {
                    slowest = ms[i] > ms[slowest] ? i : slowest;
                }
                System.out.printf(Locale.ROOT, "key pool %s, %s: slowest was mesh %d of %d%n", pool, kind.label,
                        slowest + 1, ms.length);
                Arrays.sort(ms);
                Row row = new Row(pool, kind, ms[ms.length / 2], ms[(int) Math.ceil(ms.length * 0.99) - 1],
                        ms[ms.length - 1], perSecond);
                System.out.printf(Locale.ROOT, "key pool %s, %s: p50 %.1f ms, p99 %.1f ms, max %.1f ms, burst %.1f "
                        + "meshes/s%n", pool, kind.label, row.p50(), row.p99(), row.max(), row.burstPerSecond());
                rows.add(row);
                // after a burst the pool is empty: let it refill before the next kind is measured one at a time
                LockSupport.parkNanos(Math.max(TimeUnit.MILLISECONDS.toNanos(pauseMs), AFTER_BURST.toNanos()));
            }
        }
        return rows;
    }

    private double[] oneAtATime(String api, Kind kind, int count) throws Exception {
        double[] ms = new double[count];
        for (int i = 0; i < count; i++) {
            pause();
            long t0 = System.nanoTime();
            create(api, kind);
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        return ms;
    }

    private double burst(String api, Kind kind) throws Exception {
        long t0 = System.nanoTime();
        for (int i = 0; i < burst; i++) {
            create(api, kind);
        }
        return burst / ((System.nanoTime() - t0) / 1e9);
    }

    private void create(String api, Kind kind) throws Exception {
        String name = String.format(Locale.ROOT, "m-%05d", sequence++);
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(api + "/meshes/" + name))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"type\":\"Mesh\",\"name\":\"" + name + "\""
                        + kind.extraJson + "}")).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("PUT /meshes/" + name + ": " + r.statusCode() + " " + r.body()
                    + " (expected: 201)");
        }
    }

    private void pause() {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pauseMs));
    }
}
