package io.ursa.xds.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One port, two protocols: gRPC over HTTP/2 and plain HTTP/1.1, on the same and on separate connections. */
class DpServerTest {
    private DpServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() throws IOException {
        HealthStatusManager health = new HealthStatusManager();
        server = DpServer.start("127.0.0.1", 0, List.of(health.getHealthService()), List.of(),
                call -> call.path().equals("/bootstrap") && call.method().equals("POST")
                        ? HttpAnswer.json(200, "{\"echo\":" + call.body() + "}")
                        : HttpAnswer.text(404, "no " + call.method() + " " + call.path()));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void servesGrpcAndHttpOnOnePort() throws Exception {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        try {
            HealthCheckResponse answer = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.getDefaultInstance());
            assertThat(answer.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);

            HttpResponse<String> response = post("/bootstrap", "{\"mesh\":\"default\"}");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("content-type")).contains(HttpAnswer.JSON);
            assertThat(response.body()).isEqualTo("{\"echo\":{\"mesh\":\"default\"}}");

            // The gRPC connection is unaffected by the HTTP one.
            assertThat(HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.getDefaultInstance()).getStatus())
                    .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    void keepsHttpConnectionsAliveAcrossRequests() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(post("/bootstrap", "{\"n\":" + i + "}").body()).isEqualTo("{\"echo\":{\"n\":" + i + "}}");
        }
    }

    @Test
    void answersOtherHttpPathsWithTheEndpointsOwnStatus() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/meshes")).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).isEqualTo("no GET /meshes");
    }

    @Test
    void refusesOversizedBodiesWith413() throws Exception {
        String big = "\"" + "x".repeat(DpServer.MAX_HTTP_BODY_BYTES + 1) + "\"";

        assertThat(post("/bootstrap", big).statusCode()).isEqualTo(413);
    }

    @Test
    void decidesOnlyOnceTheFirstBytesArrive() throws Exception {
        // "P", then the rest: the sniffer must wait rather than guess from one byte ("POST" vs "PRI").
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write('P');
            out.flush();
            String body = "{}";
            out.write(("OST /bootstrap HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length()
                    + "\r\nConnection: close\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 200").endsWith("{\"echo\":{}}");
        }
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }
}
