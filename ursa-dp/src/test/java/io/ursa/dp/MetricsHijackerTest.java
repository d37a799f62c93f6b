package io.ursa.dp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metrics hijacker over its real unix socket, with Envoy's admin and an application played by local HTTP
 * servers: one scrape answers both, the scrape's query reaches Envoy only, and a broken application endpoint never
 * hides Envoy's metrics.
 */
class MetricsHijackerTest {
    private final List<HttpServer> servers = new ArrayList<>();
    private final Map<String, String> lastQuery = new ConcurrentHashMap<>();
    private final List<MetricsHijacker> hijackers = new ArrayList<>();
    private final List<String> messages = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Logger log = recordingLogger(messages);

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        hijackers.forEach(MetricsHijacker::close);
        servers.forEach(s -> s.stop(0));
    }

    @Test
    void aScrapeAnswersEnvoysStatisticsThenTheApplicationsMetrics() throws Exception {
        int envoy = server("envoy", "/stats", 200, "envoy_server_live 1\n");
        int app = server("app", "/metrics", 200, "app_requests_total 7\n");
        Path socket = start(List.of(MetricsHijacker.Target.application("app", "127.0.0.1", app, "/metrics")),
                envoy);

        String response = get(socket, "/?filter=server.*&usedonly", 1).get(0);

        assertThat(response).startsWith("HTTP/1.1 200 OK\r\n").contains("Content-Type: text/plain; version=0.0.4");
        assertThat(body(response)).isEqualTo("envoy_server_live 1\n\napp_requests_total 7\n\n");
        assertThat(lastQuery.get("envoy")).isEqualTo("filter=server.*&usedonly&format=prometheus&text_readouts=");
        assertThat(lastQuery.get("app")).as("the application gets no query").isEmpty();
    }

    @Test
    void servesSeveralScrapesOnOneKeptAliveConnection() throws Exception {
        int envoy = server("envoy", "/stats", 200, "envoy_server_live 1\n");
        Path socket = start(List.of(), envoy);

        List<String> responses = get(socket, "/", 2);

        assertThat(responses).hasSize(2).allSatisfy(r -> assertThat(body(r)).isEqualTo("envoy_server_live 1\n\n"));
    }

    @Test
    void anApplicationThatCannotBeScrapedIsLeftOutAndReportedOnce() throws Exception {
        int envoy = server("envoy", "/stats", 200, "envoy_server_live 1\n");
        int broken = server("broken", "/metrics", 500, "oops");
        Path socket = start(List.of(
                MetricsHijacker.Target.application("broken", "127.0.0.1", broken, "/metrics"),
                MetricsHijacker.Target.application("gone", "127.0.0.1", closedPort(), "/metrics")), envoy);

        get(socket, "/", 1);
        String response = get(socket, "/", 1).get(0);

        assertThat(body(response)).isEqualTo("envoy_server_live 1\n\n");
        assertThat(messages).filteredOn(m -> m.contains("\"broken\"")).hasSize(1)
                .allSatisfy(m -> assertThat(m).contains("answered 500"));
        assertThat(messages).filteredOn(m -> m.contains("\"gone\"")).hasSize(1);
    }

    @Test
    void replacesAStaleSocketButNotOneAnotherAgentServes() throws Exception {
        int envoy = server("envoy", "/stats", 200, "x 1\n");
        Path socket = MetricsHijacker.socket(dir, "web-1", "default");
        Files.createFile(socket); // left behind by an agent that was killed

        start(List.of(), envoy);

        assertThat(body(get(socket, "/", 1).get(0))).isEqualTo("x 1\n\n");
        assertThatThrownBy(() -> MetricsHijacker.start(socket, MetricsHijacker.Target.envoyAdmin("127.0.0.1",
                envoy), List.of(), false, log)).isInstanceOf(IOException.class).hasMessageContaining(
                "served by another process");
    }

    @Test
    void onlyTheAgentsOwnUserMayConnect() throws Exception {
        Path socket = start(List.of(), server("envoy", "/stats", 200, "x 1\n"));

        assertThat(Files.getPosixFilePermissions(socket)).as("other users cannot open the socket")
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void theSocketIsThePathTheControlPlaneGivesEnvoy() {
        assertThat(MetricsHijacker.socket(Path.of("/tmp"), "web-1", "default"))
                .isEqualTo(Path.of("/tmp/kuma-mh-web-1-default.sock"));
        String longName = "w".repeat(200);
        assertThat(MetricsHijacker.socket(Path.of("/tmp"), longName, "default").toString())
                .hasSize(MetricsHijacker.MAX_SOCKET_STEM + ".sock".length());
    }

    private static Logger recordingLogger(List<String> messages) {
        Logger logger = Logger.getAnonymousLogger();
        logger.setUseParentHandlers(false);
        logger.addHandler(new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                messages.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        return logger;
    }

    private Path start(List<MetricsHijacker.Target> applications, int envoyPort) throws IOException {
        Path socket = MetricsHijacker.socket(dir, "web-1", "default");
        hijackers.add(MetricsHijacker.start(socket, MetricsHijacker.Target.envoyAdmin("127.0.0.1", envoyPort),
                applications, false, log));
        return socket;
    }

    /** A local HTTP server answering {@code path} with {@code status} and {@code body}, recording each query. */
    private int server(String name, String path, int status, String body) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(path, exchange -> {
            String query = exchange.getRequestURI().getRawQuery();
            lastQuery.put(name, query == null ? "" : query);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        servers.add(server);
        return server.getAddress().getPort();
    }

    private static int closedPort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** {@code count} GETs of {@code target} on one connection to the socket, each response whole. */
    private static List<String> get(Path socket, String target, int count) throws IOException {
        List<String> responses = new ArrayList<>();
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            InputStream in = Channels.newInputStream(channel);
            for (int i = 0; i < count; i++) {
                channel.write(ByteBuffer.wrap(("GET " + target + " HTTP/1.1\r\nHost: hijacker\r\n"
                        + "Accept: text/plain\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
                responses.add(response(in));
            }
        }
        return responses;
    }

    /** One response: its head, then as many body bytes as its Content-Length says. */
    private static String response(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("the connection closed mid-response: " + head);
            }
            head.write(c);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int start = text.indexOf("Content-Length: ") + "Content-Length: ".length();
        int length = Integer.parseInt(text.substring(start, text.indexOf("\r\n", start)));
        return text + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }
}
