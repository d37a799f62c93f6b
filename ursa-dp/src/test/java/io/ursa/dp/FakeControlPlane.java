package io.ursa.dp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ursa.api.codec.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The control plane's DP server as far as the agent can see it, which does not exist yet: a JDK HTTP server on
 * 127.0.0.1 that answers {@code POST /bootstrap} with scripted answers, then with a 200 carrying
 * {@link #BOOTSTRAP_YAML}, and records every request.
 */
final class FakeControlPlane implements AutoCloseable {
    static final String BOOTSTRAP_YAML = String.join("\n",
            "node:",
            "  id: demo.backend-1",
            "  cluster: backend",
            "admin:",
            "  address:",
            "    socket_address:",
            "      address: 127.0.0.1",
            "      port_value: 9901",
            "");

    record Request(String method, String path, String accept, String contentType, String body) {
        JsonNode json() {
            try {
                return Json.json().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("the request body is not JSON: " + body, e);
            }
        }
    }

    private record Answer(int status, String body) {
    }

    private final HttpServer server;
    private final Deque<Answer> answers = new ConcurrentLinkedDeque<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    private FakeControlPlane() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    static FakeControlPlane start() throws IOException {
        return new FakeControlPlane();
    }

    /** {@code http://127.0.0.1:<port>}. */
    String address() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Queues one answer; once the queue is empty, the server answers 200 with {@link #BOOTSTRAP_YAML}. */
    FakeControlPlane thenAnswer(int status, String body) {
        answers.add(new Answer(status, body));
        return this;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The 200 body Kuma's DP server sends for {@code accept: application/json}. */
    static String okBody(String bootstrapYaml) {
        return okBody(bootstrapYaml, false);
    }

    /** The 200 body, for a Dataplane with transparent proxying when {@code transparentProxy}. */
    static String okBody(String bootstrapYaml, boolean transparentProxy) {
        ObjectNode body = Json.json().createObjectNode();
        body.put("bootstrap", Base64.getEncoder().encodeToString(bootstrapYaml.getBytes(StandardCharsets.UTF_8)));
        ObjectNode sidecar = body.putObject("kumaSidecarConfiguration");
        sidecar.putObject("networking").put("isUsingTransparentProxy", transparentProxy);
        sidecar.putObject("metrics").putArray("aggregate");
        return body.toString();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    header(exchange, "accept"), header(exchange, "content-type"), body));
            Answer answer = answers.poll();
            if (answer == null) {
                answer = new Answer(200, okBody(BOOTSTRAP_YAML));
            }
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
        }
    }

    private static String header(HttpExchange exchange, String name) {
        String value = exchange.getRequestHeaders().getFirst(name.toLowerCase(Locale.ROOT));
        return value == null ? "" : value;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
