package io.ursa.bench;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Issue-13 benchmark: how long the command-line programs take, as a user runs them, against {@code curl} doing the
 * same request in the same run. It starts the control plane with {@code bin/ursa-cp run} (memory store, free
 * ports) and times that to ready, then runs each case {@code rounds} times, interleaved so that a slow moment hits
 * every case alike, and prints the median and the 90th percentile of the wall time, and the median's ratio to
 * {@code curl}'s. The cases "no archive" run the same launcher without the class-data-sharing archive (only
 * {@code -XX:TieredStopAtLevel=1}, the launcher's settings before the archive), to show what the archive brings.
 *
 * <p>With {@code baseline-root}, another built checkout (an earlier commit, say), the same commands run from
 * its {@code bin/} too, in the same rounds, marked "(baseline)".
 *
 * <pre>./mvnw -B -q package -DskipTests
 * java -cp 'ursa-bench/target/ursa-bench.jar:ursa-bench/target/lib/*' io.ursa.bench.CliStartBench [rounds] [baseline-root]</pre>
 *
 * Run it from the repository root (it runs {@code bin/*}); {@code curl} must be installed.
 */
public final class CliStartBench {
    /** The launcher's settings before the archive; with URSA_CDS_ARCHIVE=off. */
    private static final String NO_ARCHIVE = "-XX:TieredStopAtLevel=1 -Xshare:auto";

    /** One command line to time, with the environment it adds. */
    private record Case(String label, List<String> command, Map<String, String> environment) {
    }

    private final Path root;
    private final Path home;
    private final Path baseline;

    private CliStartBench(Path root, Path home, Path baseline) {
        this.root = root;
        this.home = home;
        this.baseline = baseline;
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 21;
        if (rounds < 1) {
            throw new IllegalArgumentException("invalid rounds: " + rounds + " (expected: at least 1)");
        }
        Path root = Path.of("").toAbsolutePath();
        if (!Files.isExecutable(root.resolve("bin/ursactl"))) {
            throw new IllegalStateException("run from the repository root: " + root.resolve("bin/ursactl")
                    + " is missing");
        }
        Path baseline = args.length > 1 ? Path.of(args[1]).toAbsolutePath() : null;
        if (baseline != null && !Files.isExecutable(baseline.resolve("bin/ursactl"))) {
            throw new IllegalArgumentException("invalid baseline-root: " + baseline
                    + " (expected: a built checkout with bin/ursactl)");
        }
        Path work = Files.createTempDirectory("ursa-cli-bench");
        System.out.printf("Ursa CLI start-time benchmark: %d rounds, %d cores, java %s, %s%n", rounds,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        new CliStartBench(root, work, baseline).run(rounds);
    }

    private void run(int rounds) throws Exception {
        int api = freePort();
        // the control plane's start to ready, without and then with its archive; the second one serves the rounds
        double cpReadyNoArchiveMs;
        Started cold = startCp(api, Map.of("URSA_CDS_ARCHIVE", "off"));
        try {
            cpReadyNoArchiveMs = cold.awaitReady();
        } finally {
            stop(cold.process());
        }
        Started cp = startCp(api, Map.of());
        try {
            double cpReadyMs = cp.awaitReady();
            String url = "http://127.0.0.1:" + api;
            if (time(List.of(root.resolve("bin/ursactl").toString(), "config", "control-planes", "add",
                    "--name", "bench", "--address", url), Map.of()) < 0) {
                throw new IllegalStateException("ursactl could not add the control plane at " + url);
            }
            List<Case> cases = cases(url);
            Map<String, List<Double>> times = new LinkedHashMap<>();
            for (Case c : cases) {
                times.put(c.label(), new ArrayList<>());
                time(c.command(), c.environment()); // once, unmeasured: file caches, as for a user's second call
            }
            for (int round = 0; round < rounds; round++) {
                for (Case c : cases) {
                    double ms = time(c.command(), c.environment());
                    if (ms < 0) {
                        throw new IllegalStateException(c.label() + " failed: " + String.join(" ", c.command()));
                    }
                    times.get(c.label()).add(ms);
                }
            }
            report(times, cpReadyMs, cpReadyNoArchiveMs);
        } finally {
            stop(cp.process());
        }
    }

    /** A control plane started at {@code startNanos}, ready when its diagnostics port answers /ready. */
    private record Started(Process process, int diagnosticsPort, long startNanos) {
        double awaitReady() throws Exception {
            return CliStartBench.awaitReady(process, diagnosticsPort, startNanos);
        }
    }

    /** Starts bin/ursa-cp run on the memory store with free ports, its API on {@code api}. */
    private Started startCp(int api, Map<String, String> extra) throws IOException {
        int readyPort = freePort();
        ProcessBuilder builder = new ProcessBuilder(root.resolve("bin/ursa-cp").toString(), "run")
                .redirectErrorStream(true).redirectOutput(home.resolve("cp-" + System.nanoTime() + ".log").toFile());
        builder.environment().putAll(Map.of(
                "URSA_STORE_TYPE", "memory",
                "URSA_API_SERVER_HTTP_PORT", Integer.toString(api),
                "URSA_API_SERVER_HTTPS_PORT", Integer.toString(freePort()),
                "URSA_DIAGNOSTICS_SERVER_PORT", Integer.toString(readyPort),
                "URSA_DP_SERVER_PORT", Integer.toString(freePort()),
                "URSA_LOGGING_LEVEL", "warn"));
        builder.environment().putAll(extra);
        builder.environment().put("HOME", home.toString());
        long start = System.nanoTime();
        return new Started(builder.start(), readyPort, start);
    }

    private static void stop(Process cp) throws InterruptedException {
        if (cp == null) {
            return;
        }
        cp.destroy();
        if (!cp.waitFor(30, TimeUnit.SECONDS)) {
            cp.destroyForcibly().waitFor();
        }
    }

    private List<Case> cases(String url) {
        String ursactl = root.resolve("bin/ursactl").toString();
        Map<String, String> noArchive = Map.of("URSA_CDS_ARCHIVE", "off", "JAVA_OPTS", NO_ARCHIVE);
        List<Case> cases = new ArrayList<>(List.of(
                new Case("curl GET /meshes", List.of("curl", "-sf", "-o", "/dev/null", url + "/meshes"), Map.of()),
                new Case("ursactl get meshes", List.of(ursactl, "get", "meshes"), Map.of()),
                new Case("ursactl get meshes (no archive)", List.of(ursactl, "get", "meshes"), noArchive),
                new Case("ursactl --help", List.of(ursactl, "--help"), Map.of()),
                new Case("ursactl --help (no archive)", List.of(ursactl, "--help"), noArchive),
                new Case("ursactl version", List.of(ursactl, "version"), Map.of()),
                new Case("ursa-dp run --help", List.of(root.resolve("bin/ursa-dp").toString(), "run", "--help"),
                        Map.of()),
                new Case("ursa-cp version", List.of(root.resolve("bin/ursa-cp").toString(), "version"), Map.of())));
        if (baseline != null) {
            String before = baseline.resolve("bin/ursactl").toString();
            cases.add(new Case("ursactl get meshes (baseline)", List.of(before, "get", "meshes"), Map.of()));
            cases.add(new Case("ursactl --help (baseline)", List.of(before, "--help"), Map.of()));
            cases.add(new Case("ursa-dp run --help (baseline)",
                    List.of(baseline.resolve("bin/ursa-dp").toString(), "run", "--help"), Map.of()));
            cases.add(new Case("ursa-cp version (baseline)",
                    List.of(baseline.resolve("bin/ursa-cp").toString(), "version"), Map.of()));
        }
        return cases;
    }

    /** Wall milliseconds from start to exit, or -1 when the command exits with an error. */
    private double time(List<String> command, Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(environment);
        builder.environment().put("HOME", home.toString());
        long start = System.nanoTime();
        Process process = builder.start();
        int code = process.waitFor();
        double ms = (System.nanoTime() - start) / 1e6;
        return code == 0 ? ms : -1;
    }

    private static void report(Map<String, List<Double>> times, double cpReadyMs, double cpReadyNoArchiveMs) {
        double curl = median(times.get("curl GET /meshes"));
        System.out.println();
        System.out.println("| command | median (ms) | p90 (ms) | median / curl |");
        System.out.println("|---|---|---|---|");
        times.forEach((label, values) -> System.out.printf(Locale.ROOT, "| %s | %.0f | %.0f | %.1fx |%n", label,
                median(values), percentile(values, 0.90), median(values) / curl));
        System.out.printf(Locale.ROOT, "%nbin/ursa-cp run (memory store) start to ready: %.0f ms, without the archive"
                + " %.0f ms (one start each)%n", cpReadyMs, cpReadyNoArchiveMs);
    }

    static double median(List<Double> values) {
        return percentile(values, 0.5);
    }

    /** The nearest-rank percentile. */
    static double percentile(List<Double> values, double p) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static double awaitReady(Process cp, int diagnostics, long start) throws Exception {
        URI ready = URI.create("http://127.0.0.1:" + diagnostics + "/ready");
        long deadline = start + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!cp.isAlive()) {
                throw new IllegalStateException("bin/ursa-cp exited with " + cp.exitValue());
            }
            try {
                HttpURLConnection connection = (HttpURLConnection) ready.toURL().openConnection();
                connection.setConnectTimeout(1000);
                connection.setReadTimeout(1000);
                if (connection.getResponseCode() == 200) {
                    return (System.nanoTime() - start) / 1e6;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        cp.destroyForcibly();
        throw new IllegalStateException("bin/ursa-cp was not ready within 120 s");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
