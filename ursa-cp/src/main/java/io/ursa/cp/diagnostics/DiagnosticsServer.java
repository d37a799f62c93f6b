package io.ursa.cp.diagnostics;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The diagnostics port: {@code GET /ready} answers 200 once the control plane serves, and 503 with the reason
 * before, while stopping and while it cannot reach its store; {@code GET /metrics} the Prometheus text format. Kept apart from the API so probes and scrapes
 * work even when the API is busy.
 */
public final class DiagnosticsServer implements AutoCloseable {
    private final HttpServer server;

    private DiagnosticsServer(HttpServer server) {
        this.server = server;
    }

    /**
     * @param notReady why the control plane is not ready, or empty when it is
     */
    public static DiagnosticsServer start(String host, int port, Supplier<Optional<String>> notReady,
                                          PrometheusMeterRegistry registry) throws IOException {
        requireNonNull(notReady, "notReady");
        requireNonNull(registry, "registry");
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
        server.createContext("/ready", exchange -> {
            Optional<String> reason = notReady.get();
            respond(exchange, reason.isEmpty() ? 200 : 503, "text/plain",
                    reason.map(r -> "not ready: " + r + "\n").orElse("ready\n"));
        });
        server.createContext("/metrics", exchange -> respond(exchange, 200,
                "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
        server.createContext("/", exchange -> respond(exchange, 404, "text/plain",
                "not found: try /ready or /metrics\n"));
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "ursa-diagnostics");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        return new DiagnosticsServer(server);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
