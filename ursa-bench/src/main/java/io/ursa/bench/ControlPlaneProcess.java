package io.ursa.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The control plane ({@code io.ursa.cp.UrsaCp run}, the benchmark's own classpath) as a child process on free
 * ports, ready when {@link #start} returns; {@code -Dbench.cpJvmArgs} and {@code extraJvmArgs} are passed to its
 * JVM. A shutdown hook kills it if the benchmark is interrupted.
 */
final class ControlPlaneProcess implements AutoCloseable {
    private final Process process;
    private final int apiPort;
    final double startToReadyMs;

    private final Thread killer;

    private ControlPlaneProcess(Process process, int apiPort, double startToReadyMs, Thread killer) {
        this.process = process;
        this.apiPort = apiPort;
        this.startToReadyMs = startToReadyMs;
        this.killer = killer;
    }

    static ControlPlaneProcess start(String storeType, Map<String, String> storeEnv, Path dir,
                                     List<String> extraJvmArgs) throws Exception {
        int api = freePort();
        int diag = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // e.g. -Dbench.cpJvmArgs=-XX:StartFlightRecording=filename=cp-{run}.jfr profiles each control plane;
        // {run} becomes the store type and whether it is the first start or the restart
        String jvmArgs = System.getProperty("bench.cpJvmArgs", "").trim()
                .replace("{run}", storeType + "-" + (Files.exists(dir.resolve("started")) ? "restart" : "first"));
        Files.writeString(dir.resolve("started"), "");
        if (!jvmArgs.isEmpty()) {
            command.addAll(Arrays.asList(jvmArgs.split("\\s+")));
        }
        command.addAll(extraJvmArgs);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.ursa.cp.UrsaCp", "run"));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("cp-" + System.nanoTime() + ".log").toFile());
        pb.environment().put("URSA_STORE_TYPE", storeType);
        pb.environment().put("URSA_STORE_EMBEDDED_DIR", dir.resolve("store").toString());
        pb.environment().put("URSA_API_SERVER_HTTP_PORT", Integer.toString(api));
        pb.environment().put("URSA_DIAGNOSTICS_SERVER_PORT", Integer.toString(diag));
        pb.environment().put("URSA_DP_SERVER_PORT", Integer.toString(freePort()));
        pb.environment().put("URSA_LOGGING_LEVEL", "warn");
        pb.environment().putAll(storeEnv);
        long t0 = System.nanoTime();
        Process p = pb.start();
        // never leave a control plane behind, even when the benchmark is interrupted
        Thread killer = new Thread(p::destroyForcibly, "stop-control-plane");
        Runtime.getRuntime().addShutdownHook(killer);
        HttpClient c = HttpClient.newHttpClient();
        URI ready = URI.create("http://127.0.0.1:" + diag + "/ready");
        long deadline = t0 + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                Runtime.getRuntime().removeShutdownHook(killer);
                throw new IllegalStateException("control plane exited with " + p.exitValue() + "; logs in " + dir);
            }
            try {
                if (c.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return new ControlPlaneProcess(p, api, (System.nanoTime() - t0) / 1e6, killer);
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        p.destroyForcibly().waitFor();
        Runtime.getRuntime().removeShutdownHook(killer);
        throw new IllegalStateException("control plane not ready after 120 s; logs in " + dir);
    }

    String api() {
        return "http://127.0.0.1:" + apiPort;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
