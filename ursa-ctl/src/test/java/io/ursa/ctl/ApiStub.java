package io.ursa.ctl;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;

/**
 * A stand-in for the control plane's API over plain HTTP or HTTPS: {@code GET /} answers the index JSON, other
 * requests the answer a test gave for their method and path (with the query), or a Kuma 404. It records every
 * request with its {@code Authorization} header and body, so tests can check what ursactl sent.
 */
final class ApiStub implements AutoCloseable {
    static final String INDEX = "{\"hostname\":\"stub\",\"tagline\":\"Kuma\",\"version\":\"2.0.8\"}";

    record Request(String method, String path, String authorization, String body) {
    }

    private record Answer(int status, String contentType, String body, Map<String, String> headers) {
        Answer(int status, String contentType, String body) {
            this(status, contentType, body, Map.of());
        }
    }

    private final HttpServer server;
    private final String scheme;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();

    private ApiStub(HttpServer server, String scheme) {
        this.server = server;
        this.scheme = scheme;
        answers.put("GET /", new Answer(200, "application/json", INDEX));
        server.createContext("/", this::handle);
        server.start();
    }

    /** A plain HTTP stub on a free loopback port. */
    static ApiStub plain() {
        return plain(InetAddress.getLoopbackAddress());
    }

    /** A plain HTTP stub on a free port of {@code address}. */
    static ApiStub plain(InetAddress address) {
        try {
            return new ApiStub(HttpServer.create(new InetSocketAddress(address, 0), 0), "http");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An HTTPS stub on a free loopback port, presenting the certificate of {@code context}. */
    static ApiStub tls(SSLContext context) {
        try {
            HttpsServer server = HttpsServer.create(loopback(), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(context));
            return new ApiStub(server, "https");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Answers {@code method path} (path with its query, as sent) with {@code status} and a JSON body. */
    ApiStub answer(String method, String path, int status, String json) {
        return answer(method, path, status, "application/json", json);
    }

    ApiStub answer(String method, String path, int status, String contentType, String body) {
        answers.put(method + " " + path, new Answer(status, contentType, body));
        return this;
    }

    /** Answers {@code method path} with {@code status}, a JSON body and {@code headers}. */
    ApiStub answer(String method, String path, int status, String json, Map<String, String> headers) {
        answers.put(method + " " + path, new Answer(status, "application/json", json, headers));
        return this;
    }

    /** Answers {@code method path} with a redirect to {@code location}. */
    ApiStub redirect(String method, String path, int status, String location) {
        answers.put(method + " " + path, new Answer(status, "text/plain", "", Map.of("Location", location)));
        return this;
    }

    /** {@code http(s)://<address>:<port>}, e.g. {@code https://127.0.0.1:40123}. */
    String address() {
        return scheme + "://" + server.getAddress().getAddress().getHostAddress() + ":" + port();
    }

    int port() {
        return server.getAddress().getPort();
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        requests.add(new Request(exchange.getRequestMethod(), path, authorization == null ? "" : authorization, body));
        Answer answer = answers.getOrDefault(exchange.getRequestMethod() + " " + path, new Answer(404,
                "application/json", "{\"title\":\"Could not find a resource\",\"details\":\"Not found\"}"));
        answer.headers().forEach((key, value) -> exchange.getResponseHeaders().add(key, value));
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", answer.contentType());
        exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static InetSocketAddress loopback() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
