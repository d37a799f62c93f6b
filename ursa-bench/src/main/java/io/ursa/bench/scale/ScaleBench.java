package io.ursa.bench.scale;

import io.ursa.bench.BenchPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The scale harness: N simulated Envoy sidecars ({@link SimulatedEnvoy}) against Ursa's control plane
 * ({@code io.ursa.cp.UrsaCp run} as its own process) and, in the same run, against a bare
 * java-control-plane server pushing precomputed snapshots of the same configuration ({@link BaselineControlPlane}).
 * For each it measures the time until all N hold their first configuration, then for R changes the time from
 * the write until every proxy the change reaches has ACKed it (p50, p99, max), and per change the control plane's
 * CPU seconds and heap allocation, and how many proxies were sent something and how many bytes (counted until no
 * proxy has received anything for {@value #QUIET_MILLIS} ms); its heap after GC per connected proxy, and the xDS
 * bytes per proxy of a first configuration; and prints the table with Ursa's figures as ratios of the baseline's.
 *
 * <pre>java -cp 'ursa-bench/target/ursa-bench.jar:ursa-bench/target/lib/*' io.ursa.bench.scale.ScaleBench \
 *     --proxies 1000 --services 100 --meshes 1 --outbounds 10 --change timeout --warmup 3 --rounds 5</pre>
 *
 * <p>{@code --change} says what a round edits in mesh 0 ({@link ScaleScenario.Change}): {@code timeout} and
 * {@code traffic-route} the mesh's default policy (every proxy of the mesh changes); {@code endpoints} one more
 * instance of {@code svc-0000}, then one fewer (only its callers' endpoints change); {@code one-service} a Timeout
 * of {@code svc-0000} only (only its callers change). With {@code --meshes K} the proxies of the other meshes must
 * receive nothing new.
 *
 * <p>{@code --xds sotw|delta|sotw,delta} says how the sidecars speak to both control planes: state of the world
 * (the default) or incremental ({@code DELTA_GRPC}); with both, each control plane runs once per protocol, and
 * the table adds Ursa over delta against the baseline over state of the world.
 *
 * <p>Other flags: {@code --store embedded|memory|postgres} (Ursa's store; embedded, the durable default, unless
 * told; several, comma-separated, run Ursa once on each, in that order, against the same baseline run),
 * {@code --postgres-url host:port/db} (an external server for the postgres store, see {@link BenchPostgres};
 * without it the harness starts its own, fsync on, data in {@code --dir}),
 * {@code --warmup 3} (changes made first and not counted, while the JIT compiles the hot paths),
 * {@code --only ursa|baseline}, {@code --heap 4g} (each control plane's {@code -Xmx}),
 * {@code --dir DIR} (where the control planes' logs go; a temporary directory by default),
 * {@code --transport tls|plaintext} (how the sidecars reach both control planes; TLS, the DP server's default,
 * unless told), {@code --streams-per-connection 250} (ADS streams per HTTP/2 connection; 1 is one connection and
 * one TLS handshake per proxy, as real sidecars). JVM flags for the
 * control planes go in {@code -Dbench.cpJvmArgs=...} ({@code {run}} becomes {@code ursa} or {@code baseline}, with {@code -<store>} when several stores run and
 * {@code -delta} for delta runs).
 */
public final class ScaleBench {
    static final String URSA = "ursa";
    static final String BASELINE = "bare java-control-plane";
    static final long QUIET_MILLIS = 300;
    private static final Duration QUIET = Duration.ofMillis(QUIET_MILLIS);

    private final ScaleScenario scenario;
    private final int rounds;
    private final int warmup;
    private final String heap;
    private final List<String> stores;
    private BenchPostgres postgres;
    private final Path dir;
    private final Duration timeout;
    private final ScaleTransport transport;
    private final List<XdsProtocol> protocols;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ScaleBench(ScaleScenario scenario, int warmup, int rounds, String store, String heap, Path dir,
               Duration timeout, ScaleTransport transport) {
        this(scenario, warmup, rounds, store, heap, dir, timeout, transport, List.of(XdsProtocol.SOTW));
    }

    ScaleBench(ScaleScenario scenario, int warmup, int rounds, String store, String heap, Path dir,
               Duration timeout, ScaleTransport transport, List<XdsProtocol> protocols) {
        if (rounds < 1) {
            throw new IllegalArgumentException("invalid --rounds: " + rounds + " (expected: at least 1)");
        }
        if (warmup < 0) {
            throw new IllegalArgumentException("invalid --warmup: " + warmup + " (expected: 0 or more)");
        }
        this.scenario = scenario;
        this.warmup = warmup;
        this.rounds = rounds;
        this.stores = List.of(store.split(","));
        for (String s : stores) {
            if (!s.equals("embedded") && !s.equals("memory") && !s.equals("postgres")) {
                throw new IllegalArgumentException("invalid --store: " + store
                        + " (expected: embedded, memory or postgres, or several, comma-separated)");
            }
        }
        this.heap = heap;
        this.dir = dir;
        this.timeout = timeout;
        this.transport = transport;
        this.protocols = List.copyOf(protocols);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> flags = flags(args);
        ScaleScenario scenario = new ScaleScenario(intFlag(flags, "proxies", 1000), intFlag(flags, "services", 100),
                intFlag(flags, "meshes", 1), intFlag(flags, "outbounds", 10),
                ScaleScenario.Change.ofFlag(flags.getOrDefault("change", "timeout")));
        String only = flags.getOrDefault("only", "");
        if (!only.isEmpty() && !only.equals(URSA) && !only.equals("baseline")) {
            throw new IllegalArgumentException("invalid --only: " + only + " (expected: ursa or baseline)");
        }
        Path dir = flags.containsKey("dir") ? Path.of(flags.get("dir")) : Files.createTempDirectory("ursa-scale");
        Files.createDirectories(dir);
        ScaleTransport transport = ScaleTransport.of(flags.getOrDefault("transport", "tls"),
                intFlag(flags, "streams-per-connection", 250), dir);
        ScaleBench bench = new ScaleBench(scenario, intFlag(flags, "warmup", 3), intFlag(flags, "rounds", 5),
                flags.getOrDefault("store", "embedded"), flags.getOrDefault("heap", "4g"),
                dir, Duration.ofMinutes(intFlag(flags, "timeout-minutes", 10)), transport,
                XdsProtocol.ofFlag(flags.getOrDefault("xds", "sotw")));
        System.out.printf(Locale.ROOT, "scale run: %s, %d warm-up and %d measured changes, ursa on the %s store,"
                + " %s, %s xDS; %d cores, JDK %s; logs in %s%n", scenario, bench.warmup, bench.rounds,
                String.join(" and the ", bench.stores), transport.describe(),
                String.join(" and ", bench.protocols.stream().map(XdsProtocol::flag).toList()),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), dir);
        List<ScaleRun> runs = new ArrayList<>();
        boolean postgresWanted = !only.equals("baseline") && bench.stores.contains("postgres");
        try (BenchPostgres postgres = postgresWanted
                ? BenchPostgres.startOrConnect(flags.get("postgres-url"), dir) : null) {
            if (postgres != null) {
                System.out.println("postgres store on " + postgres.describe());
                bench.usePostgres(postgres);
            }
            for (XdsProtocol protocol : bench.protocols) {
                if (!only.equals(URSA)) {
                    runs.add(bench.runBaseline(protocol));
                }
                if (!only.equals("baseline")) {
                    for (String store : bench.stores) {
                        runs.add(bench.runUrsa(store, protocol));
                    }
                }
            }
        }
        System.out.println();
        System.out.print(ScaleTable.render(scenario, runs));
        for (ScaleRun baseline : runs) {
            if (!baseline.controlPlane().startsWith(BASELINE)) {
                continue;
            }
            for (ScaleRun ursa : runs) {
                if (ursa.controlPlane().startsWith(URSA) && ursa.protocol() == baseline.protocol()) {
                    System.out.println(ursa.controlPlane() + ": " + ScaleTable.sameConfiguration(baseline, ursa));
                }
            }
        }
    }

    /** The run's name: the control plane, then its store and protocol when the run has several of them. */
    private String name(String controlPlane, String store, XdsProtocol protocol) {
        List<String> parts = new ArrayList<>();
        if (store != null && stores.size() > 1) {
            parts.add(store);
        }
        if (protocols.size() > 1 || protocol != XdsProtocol.SOTW) {
            parts.add(protocol.flag());
        }
        return parts.isEmpty() ? controlPlane : controlPlane + " (" + String.join(", ", parts) + ")";
    }

    /** The server the {@code postgres} store runs on (a fresh database per run). */
    void usePostgres(BenchPostgres server) {
        this.postgres = server;
    }

    /** Ursa's control plane as a process on the (first) chosen store, with the (first) chosen protocol. */
    ScaleRun runUrsa() throws Exception {
        return runUrsa(stores.get(0), protocols.get(0));
    }

    /**
     * Ursa's control plane as a process on {@code store}, proxies speaking {@code protocol} and registering their
     * Dataplanes as they connect.
     */
    ScaleRun runUrsa(String store, XdsProtocol protocol) throws Exception {
        String name = name(URSA, store, protocol);
        int api = ChildJvm.freePort();
        int diagnostics = ChildJvm.freePort();
        int dp = ChildJvm.freePort();
        Path data = Files.createTempDirectory(dir, "ursa-store");
        Map<String, String> env = new java.util.HashMap<>(Map.of("URSA_STORE_TYPE", store,
                "URSA_STORE_EMBEDDED_DIR", data.toString(),
                "URSA_API_SERVER_HTTP_PORT", Integer.toString(api),
                "URSA_API_SERVER_HTTPS_ENABLED", "false",
                "URSA_DIAGNOSTICS_SERVER_PORT", Integer.toString(diagnostics),
                "URSA_DP_SERVER_PORT", Integer.toString(dp),
                "URSA_DP_SERVER_AUTH_TYPE", "none",
                "URSA_LOGGING_LEVEL", System.getProperty("bench.cpLogLevel", "warn")));
        env.putAll(transport.ursaEnvironment());
        if (store.equals("postgres")) {
            if (postgres == null) {
                throw new IllegalStateException("the postgres store needs a PostgreSQL server (usePostgres)");
            }
            env.putAll(postgres.freshDatabase("ursa_scale"));
        }
        String process = "ursa" + (stores.size() > 1 ? "-" + store : "")
                + (protocol == XdsProtocol.SOTW ? "" : "-" + protocol.flag());
        try (ChildJvm cp = ChildJvm.start(process, ChildJvm.URSA_CP, List.of("run"), env, heap, dir)) {
            awaitReady(cp, URI.create("http://127.0.0.1:" + diagnostics + "/ready"));
            String base = "http://127.0.0.1:" + api;
            for (int m = 0; m < scenario.meshes(); m++) {
                String mesh = ScaleScenario.mesh(m);
                send("PUT", base + "/meshes/" + mesh, "{\"type\":\"Mesh\",\"name\":\"" + mesh + "\"}");
            }
            for (String json : scenario.setupJson()) {
                send("PUT", base + pathOf(json), json);
            }
            String path = base + scenario.changePath();
            String original = scenario.restoresByDelete() ? null : send("GET", path, null);
            return measure(name, protocol, cp, dp, true, round -> {
                if (round % 2 == 1) {
                    send("PUT", path, scenario.changedJson());
                } else if (original == null) {
                    send("DELETE", path, null);
                } else {
                    send("PUT", path, original);
                }
            });
        }
    }

    /** The bare java-control-plane server with the same configuration precomputed, the (first) chosen protocol. */
    ScaleRun runBaseline() throws Exception {
        return runBaseline(protocols.get(0));
    }

    /** The bare java-control-plane server with the same configuration precomputed, sidecars speaking protocol. */
    ScaleRun runBaseline(XdsProtocol protocol) throws Exception {
        List<String> args = new ArrayList<>(List.of(Integer.toString(scenario.proxies()),
                Integer.toString(scenario.services()), Integer.toString(scenario.meshes()),
                Integer.toString(scenario.outbounds()), scenario.change().flag()));
        args.addAll(transport.baselineArguments());
        String process = protocol == XdsProtocol.SOTW ? "baseline" : "baseline-" + protocol.flag();
        try (ChildJvm cp = ChildJvm.start(process, BaselineControlPlane.class.getName(), args, Map.of(), heap,
                dir)) {
            String ready = ChildJvm.await(cp.lineStartingWith("ready port="), timeout);
            int port = Integer.parseInt(ready.substring("ready port=".length()).trim());
            return measure(name(BASELINE, null, protocol), protocol, cp, port, false,
                    round -> cp.tell(round % 2 == 1 ? "changed" : "original"));
        }
    }

    /** The API path of a mesh-scoped resource in Universal JSON. */
    private String pathOf(String json) throws java.io.IOException {
        com.fasterxml.jackson.databind.JsonNode node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        String type = node.path("type").asText();
        String collection = switch (type) {
            case "Timeout" -> "timeouts";
            case "Dataplane" -> "dataplanes";
            default -> throw new IllegalArgumentException("no path known for a " + type);
        };
        return "/meshes/" + node.path("mesh").asText() + "/" + collection + "/" + node.path("name").asText();
    }

    private interface ChangeWriter {
        void write(int round) throws Exception;
    }

    private ScaleRun measure(String name, XdsProtocol protocol, ChildJvm cp, int port, boolean idleHeapMeasured,
                             ChangeWriter writer) throws Exception {
        long heapIdle = idleHeapMeasured ? cp.heapAfterGc() : 0;
        try (Fleet fleet = Fleet.connect(scenario, port, transport, protocol)) {
            double firstConfig = fleet.awaitConfigured(timeout);
            long firstBytes = fleet.bytesReceived();
            List<Map<SimulatedEnvoy.XdsType, String>> versions = fleet.ackedVersions();
            System.out.printf(Locale.ROOT, "%s: all %d proxies have their first configuration after %.2f s%n", name,
                    scenario.proxies(), firstConfig);
            long heapConnected = cp.heapAfterGc();
            List<double[]> latencies = new ArrayList<>();
            long cpu = 0;
            long allocated = 0;
            long changeBytes = 0;
            long proxiesSent = 0;
            int unexpected = 0;
            Map<String, Long> threadsBefore = Map.of();
            long[] gcBefore = {0, 0};
            for (int r = 1; r <= warmup + rounds; r++) {
                boolean measured = r > warmup;
                if (r == warmup + 1) {
                    threadsBefore = cp.threadCpuNanos();
                    gcBefore = cp.gcCountAndMillis();
                }
                Fleet.Round round = fleet.startRound(touched());
                long cpuBefore = cp.cpuNanos();
                long allocatedBefore = cp.allocatedBytes();
                round.started();
                writer.write(r);
                double[] ms = round.await(timeout);
                fleet.awaitQuiet(QUIET, timeout);
                long cpuUsed = cp.cpuNanos() - cpuBefore;
                long allocatedNow = cp.allocatedBytes() - allocatedBefore;
                if (measured) {
                    latencies.add(ms);
                    cpu += cpuUsed;
                    allocated += allocatedNow;
                    changeBytes += round.bytesSent();
                    proxiesSent += round.proxiesSent();
                }
                unexpected += round.unexpectedUpdates();
                System.out.printf(Locale.ROOT, "%s: %s %d: p50 %.1f ms, p99 %.1f ms, max %.1f ms; CP CPU %.2f s, "
                                + "%.1f MB allocated; sent %d KB to %d proxies%n",
                        name, measured ? "change" : "warm-up change", measured ? r - warmup : r, ms[ms.length / 2],
                        ms[Math.max(0, (int) Math.ceil(ms.length * 0.99) - 1)], ms[ms.length - 1], cpuUsed / 1e9,
                        allocatedNow / 1e6, round.bytesSent() / 1024, round.proxiesSent());
            }
            printCpuByThread(name, threadsBefore, cp.threadCpuNanos(), cpu, rounds);
            long[] gcAfter = cp.gcCountAndMillis();
            System.out.printf(Locale.ROOT, "%s: per change %.1f collections, %.3f s in them%n", name,
                    (double) (gcAfter[0] - gcBefore[0]) / rounds, (gcAfter[1] - gcBefore[1]) / 1e3 / rounds);
            return new ScaleRun(name, firstConfig, latencies, cpu / 1e9 / rounds, (double) allocated / rounds,
                    heapIdle, heapConnected, (double) firstBytes / scenario.proxies(), (double) changeBytes / rounds,
                    (double) proxiesSent / rounds, unexpected, versions, protocol);
        }
    }

    /** Where the control plane's CPU went during the measured rounds, per round, largest first. */
    private static void printCpuByThread(String name, Map<String, Long> before, Map<String, Long> after,
                                         long processNanos, int rounds) {
        List<Map.Entry<String, Long>> used = new ArrayList<>();
        long javaThreads = 0;
        for (Map.Entry<String, Long> entry : after.entrySet()) {
            long delta = entry.getValue() - before.getOrDefault(entry.getKey(), 0L);
            if (delta > 0) {
                used.add(Map.entry(entry.getKey(), delta));
                javaThreads += delta;
            }
        }
        used.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        StringBuilder line = new StringBuilder(name + ": CPU s per change by thread:");
        for (Map.Entry<String, Long> entry : used.subList(0, Math.min(6, used.size()))) {
            line.append(String.format(Locale.ROOT, " %s %.3f;", entry.getKey(), entry.getValue() / 1e9 / rounds));
        }
        line.append(String.format(Locale.ROOT, " GC, JIT and other VM threads %.3f",
                Math.max(0, processNanos - javaThreads) / 1e9 / rounds));
        System.out.println(line);
    }

    /** The types a change gives every proxy it reaches a new version of. */
    Set<SimulatedEnvoy.XdsType> touched() {
        return switch (scenario.change()) {
            case TIMEOUT, ONE_SERVICE -> EnumSet.of(SimulatedEnvoy.XdsType.CDS, SimulatedEnvoy.XdsType.LDS);
            case TRAFFIC_ROUTE -> EnumSet.of(SimulatedEnvoy.XdsType.CDS);
            case ENDPOINTS -> EnumSet.of(SimulatedEnvoy.XdsType.EDS);
        };
    }

    private void awaitReady(ChildJvm cp, URI ready) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            if (!cp.isAlive()) {
                throw new IllegalStateException("the control plane exited; its output is in " + cp.log());
            }
            try {
                if (http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        throw new IllegalStateException("the control plane is not ready after 2 minutes; its output is in "
                + cp.log());
    }

    private String send(String method, String url, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type",
                "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + url + ": " + response.statusCode() + " "
                    + response.body());
        }
        return response.body();
    }

    static Map<String, String> flags(String[] args) {
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + arg + " (expected: --flag value)");
            }
            int eq = arg.indexOf('=');
            if (eq > 0) {
                flags.put(arg.substring(2, eq), arg.substring(eq + 1));
            } else if (i + 1 < args.length) {
                flags.put(arg.substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException("missing value of " + arg);
            }
        }
        Set<String> known = Set.of("proxies", "services", "meshes", "outbounds", "change", "warmup", "rounds", "only",
                "store", "heap", "dir", "timeout-minutes", "transport", "streams-per-connection", "postgres-url",
                "xds");
        for (String flag : flags.keySet()) {
            if (!known.contains(flag)) {
                throw new IllegalArgumentException("unknown flag --" + flag + " (expected one of: --"
                        + String.join(", --", new java.util.TreeSet<>(known)) + ")");
            }
        }
        return flags;
    }

    private static int intFlag(Map<String, String> flags, String name, int fallback) {
        String value = flags.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid --" + name + ": " + value + " (expected: a whole number)");
        }
    }
}
