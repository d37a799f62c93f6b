package io.ursa.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A control plane started the way a user starts it: {@code bin/ursa-cp run} from the repository root, as its own
 * process, with its ports and store directory set through {@code URSA_*} variables. Its output goes to a log file
 * that failures print.
 */
final class CpProcess implements AutoCloseable {
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    private final Process process;
    private final Path log;
    private Path caFile;
    final int apiPort;
    final int httpsPort;
    final int diagnosticsPort;
    final int dpPort;

    /** How many times {@link #start} tries when a port it chose was taken before the control plane bound it. */
    private static final int START_ATTEMPTS = 3;

    private CpProcess(Process process, Path log, int apiPort, int httpsPort, int diagnosticsPort, int dpPort) {
        this.process = process;
        this.log = log;
        this.apiPort = apiPort;
        this.httpsPort = httpsPort;
        this.diagnosticsPort = diagnosticsPort;
        this.dpPort = dpPort;
    }

    /**
     * Starts the control plane on four free ports. A port found free may be taken by another process before the
     * control plane binds it; then the start is tried again on other ports (the store is the same), a few times.
     */
    static CpProcess start(Path storeDir, Path logDir, Map<String, String> extraEnv) throws IOException {
        for (int attempt = 1; ; attempt++) {
            int[] ports = freePorts(4);
            int api = ports[0];
            int diag = ports[1];
            int dp = ports[2];
            int https = ports[3];
            Map<String, String> env = new HashMap<>();
            env.put("URSA_API_SERVER_HTTP_PORT", Integer.toString(api));
            env.put("URSA_DIAGNOSTICS_SERVER_PORT", Integer.toString(diag));
            env.put("URSA_DP_SERVER_PORT", Integer.toString(dp));
            env.put("URSA_STORE_EMBEDDED_DIR", storeDir.toString());
            env.put("URSA_API_SERVER_HTTPS_PORT", Integer.toString(https));
            env.putAll(extraEnv);
            Files.createDirectories(logDir);
            Path log = Files.createTempFile(logDir, "ursa-cp-", ".log");
            ProcessBuilder pb = new ProcessBuilder(REPO.resolve("bin/ursa-cp").toString(), "run")
                    .directory(REPO.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            pb.environment().putAll(env);
            CpProcess cp = new CpProcess(pb.start(), log, api, https, diag, dp);
            try {
                cp.awaitReady();
                return cp;
            } catch (IllegalStateException e) {
                boolean portTaken = !cp.process.isAlive() && cp.output().contains("Address already in use");
                if (!portTaken || attempt == START_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** {@code count} distinct ports that were free a moment ago (all held open together while chosen). */
    static int[] freePorts(int count) throws IOException {
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket(0);
                sockets[i].setReuseAddress(true);
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                if (socket != null) {
                    socket.close();
                }
            }
        }
    }

    String apiUrl() {
        return "http://127.0.0.1:" + apiPort;
    }

    String httpsApiUrl() {
        return "https://127.0.0.1:" + httpsPort;
    }

    /** The DP server, over TLS as it is by default. */
    String dpUrl() {
        return "https://127.0.0.1:" + dpPort;
    }

    /**
     * The CA of the control plane's own certificate (DP server and HTTPS API), fetched once as a user does:
     * {@code GET /control-plane/ca.pem} from loopback, saved next to the log.
     */
    synchronized Path caFile() throws IOException, InterruptedException {
        if (caFile == null) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(apiUrl() + "/control-plane/ca.pem")).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200 || !response.body().contains("BEGIN CERTIFICATE")) {
                throw new AssertionError("GET /control-plane/ca.pem answered " + response.statusCode() + ": "
                        + response.body());
            }
            caFile = Files.writeString(log.resolveSibling(log.getFileName() + ".ca.pem").toAbsolutePath(),
                    response.body());
        }
        return caFile;
    }

    long pid() {
        return process.pid();
    }

    private void awaitReady() {
        HttpClient client = HttpClient.newHttpClient();
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("ursa-cp exited with " + process.exitValue() + ":\n" + output());
                }
                try {
                    HttpResponse<Void> r = client.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + diagnosticsPort + "/ready")).build(),
                            HttpResponse.BodyHandlers.discarding());
                    return r.statusCode() == 200;
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (RuntimeException e) {
            process.destroyForcibly();
            throw new IllegalStateException("ursa-cp did not become ready:\n" + output(), e);
        }
    }

    /** SIGKILL: no shutdown hook, no flush, no goodbye. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /** The last {@code lines} lines of the output, for failure messages. */
    String tail(int lines) {
        List<String> all = output().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}
