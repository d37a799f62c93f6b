package io.ursa.xds.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.SecurityLevel;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One port, two protocols (gRPC over HTTP/2 and plain HTTP/1.1), over TLS by default and in plaintext when asked;
 * clients of the wrong scheme told so at once; the stream cap per client; the timeouts of slow clients. Real peers:
 * grpc-java channels, the JDK's {@code HttpClient}, raw sockets.
 */
class DpServerTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Short, so the timeout tests are quick; the assertions are on closing, never on how long it took. */
    private static final HttpTimeouts SHORT = new HttpTimeouts(Duration.ofMillis(300), Duration.ofMillis(300),
            Duration.ofMillis(300));
    private static final String CA = TestTls.MATERIAL.caCertificatePem();

    private final List<DpServer> servers = new ArrayList<>();
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final List<ServerCall<?, ?>> calls = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        channels.forEach(ManagedChannel::shutdownNow);
        servers.forEach(DpServer::close);
    }

    private DpServer start(DpTransport transport, HttpTimeouts timeouts, int maxStreamsPerClient) throws IOException {
        HealthStatusManager health = new HealthStatusManager();
        ServerInterceptor recorder = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                               ServerCallHandler<Q, R> next) {
                calls.add(call);
                return next.startCall(call, headers);
            }
        };
        DpServer server = DpServer.start(new DpServer.Settings("127.0.0.1", 0, transport, timeouts,
                        maxStreamsPerClient), List.of(health.getHealthService()), List.of(recorder),
                call -> call.path().equals("/bootstrap") && call.method().equals("POST")
                        ? HttpAnswer.json(200, "{\"echo\":" + call.body() + "}")
                        : HttpAnswer.text(404, "no " + call.method() + " " + call.path()));
        servers.add(server);
        return server;
    }

    private DpServer tls() throws IOException {
        return start(TestTls.transport(), HttpTimeouts.DEFAULTS, 0);
    }

    private DpServer plaintext() throws IOException {
        return start(DpTransport.plaintext(), HttpTimeouts.DEFAULTS, 0);
    }

    private ManagedChannel tlsChannel(DpServer server, String trustedCa) {
        ManagedChannel channel = TestTls.channel(server.port(), trustedCa);
        channels.add(channel);
        return channel;
    }

    private ManagedChannel plaintextChannel(DpServer server) {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        channels.add(channel);
        return channel;
    }

    private static HealthCheckResponse.ServingStatus check(ManagedChannel channel) {
        return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(WAIT.toSeconds(), TimeUnit.SECONDS)
                .check(HealthCheckRequest.getDefaultInstance()).getStatus();
    }

    // --- TLS ---

    @Test
    void servesGrpcAndHttpOverTlsOnOnePort() throws Exception {
        DpServer server = tls();
        ManagedChannel channel = tlsChannel(server, CA);

        assertThat(check(channel)).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        HttpResponse<String> response = post(https(CA, HttpClient.Version.HTTP_1_1), server, "{\"mesh\":\"default\"}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).contains(HttpAnswer.JSON);
        assertThat(response.body()).isEqualTo("{\"echo\":{\"mesh\":\"default\"}}");
        // The gRPC connection is unaffected by the HTTP one.
        assertThat(check(channel)).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    }

    @Test
    void grpcCallsOverTlsSeeTheSessionAndPrivacyAndIntegrity() throws Exception {
        DpServer server = tls();

        check(tlsChannel(server, CA));

        ServerCall<?, ?> call = calls.get(0);
        SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
        assertThat(session).isNotNull();
        assertThat(session.getProtocol()).isIn("TLSv1.2", "TLSv1.3");
        assertThat(call.getSecurityLevel()).isEqualTo(SecurityLevel.PRIVACY_AND_INTEGRITY);
        assertThat(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR)).isNotNull();
    }

    @Test
    void aGrpcClientThatTrustsAnotherCaIsRefusedAtTheHandshake() throws Exception {
        DpServer server = tls();

        assertThatThrownBy(() -> check(tlsChannel(server, TestTls.OTHER.caCertificatePem())))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                    assertThat(e.getCause()).isInstanceOf(SSLHandshakeException.class);
                    assertThat(e.getCause()).hasStackTraceContaining("PKIX path");
                });
        assertThat(calls).as("no call reached the server").isEmpty();
    }

    @Test
    void anHttpClientThatOffersHttp2GetsHttp11AndItsBootstrap() throws Exception {
        DpServer server = tls();

        HttpResponse<String> response = post(https(CA, HttpClient.Version.HTTP_2), server, "{}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(response.body()).isEqualTo("{\"echo\":{}}");
    }

    @Test
    void clientsThatOfferNoAlpnAreServedWhatTheySpeak() throws Exception {
        // Envoy's ads_cluster offers no ALPN and speaks HTTP/2 with prior knowledge.
        DpServer server = tls();
        try (SSLSocket http2 = tlsSocket(server)) {
            http2.getOutputStream().write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            http2.getOutputStream().write(new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0}); // an empty SETTINGS
            byte[] frame = http2.getInputStream().readNBytes(9);
            assertThat(frame[3]).as("gRPC's server answers with its SETTINGS").isEqualTo((byte) 4);
            assertThat(http2.getApplicationProtocol()).isEmpty();
        }
        try (SSLSocket http1 = tlsSocket(server)) {
            http1.getOutputStream().write(("POST /bootstrap HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n"
                    + "Connection: close\r\n\r\n{}").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(http1.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 200").endsWith("{\"echo\":{}}");
        }
    }

    private static SSLSocket tlsSocket(DpServer server) throws IOException {
        SSLSocket socket = (SSLSocket) TestTls.trusting(CA).getSocketFactory().createSocket("127.0.0.1",
                server.port());
        socket.setSoTimeout((int) WAIT.toMillis());
        socket.startHandshake();
        return socket;
    }

    @Test
    void keepsHttpConnectionsAliveAcrossRequests() throws Exception {
        DpServer server = tls();
        HttpClient http = https(CA, HttpClient.Version.HTTP_1_1);

        for (int i = 0; i < 5; i++) {
            assertThat(post(http, server, "{\"n\":" + i + "}").body()).isEqualTo("{\"echo\":{\"n\":" + i + "}}");
        }
    }

    @Test
    void answersOtherHttpPathsWithTheEndpointsOwnStatus() throws Exception {
        DpServer server = tls();

        HttpResponse<String> response = https(CA, HttpClient.Version.HTTP_1_1).send(HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + server.port() + "/meshes")).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).isEqualTo("no GET /meshes");
    }

    @Test
    void refusesOversizedBodiesWith413() throws Exception {
        DpServer server = tls();
        String big = "\"" + "x".repeat(DpServer.MAX_HTTP_BODY_BYTES + 1) + "\"";

        assertThat(post(https(CA, HttpClient.Version.HTTP_1_1), server, big).statusCode()).isEqualTo(413);
    }

    // --- the wrong scheme ---

    @Test
    void plaintextHttpToTheTlsPortIsToldToUseHttps() throws Exception {
        DpServer server = tls();

        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/bootstrap"))
                        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("content-type")).contains(HttpAnswer.TEXT);
        assertThat(response.body()).isEqualTo("this is the control plane's DP server and it requires TLS: use"
                + " https://127.0.0.1:" + server.port());
    }

    @Test
    void aPlaintextGrpcClientOfTheTlsPortFailsWithTheReason() throws Exception {
        DpServer server = tls();

        assertThatThrownBy(() -> check(plaintextChannel(server)))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    // PERMISSION_DENIED: Abrupt GOAWAY closed sent stream. HTTP/2 error code: INADEQUATE_SECURITY
                    // (Permission denied as protocol is not secure enough to call), debug data: this is ...
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                    assertThat(e.getStatus().getDescription()).contains("this is the control plane's DP server and"
                            + " it requires TLS: use https://127.0.0.1:" + server.port());
                });
        assertThat(calls).isEmpty();
    }

    @Test
    void anHttp2ClientThatSendsNoRequestGetsTheGoAwayAfterTheHeaderTimeout() throws Exception {
        DpServer server = start(TestTls.transport(), SHORT, 0);
        try (Socket socket = socket(server)) {
            socket.getOutputStream().write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] answer = socket.getInputStream().readAllBytes();

            assertThat(answer).startsWith(0, 0, 0, 4, 0, 0, 0, 0, 0); // an empty SETTINGS frame
            String text = "this is the control plane's DP server and it requires TLS: use https://127.0.0.1:"
                    + server.port();
            java.nio.ByteBuffer goAway = java.nio.ByteBuffer.wrap(answer, 9, answer.length - 9);
            assertThat(goAway.getInt() >>> 8).as("length").isEqualTo(8 + text.length());
            assertThat(goAway.get(12)).as("type GOAWAY").isEqualTo((byte) 7);
            assertThat(goAway.getInt(18)).as("last stream").isZero();
            assertThat(goAway.getInt(22)).as("INADEQUATE_SECURITY").isEqualTo(0xc);
            assertThat(new String(answer, 26, answer.length - 26, StandardCharsets.UTF_8)).isEqualTo(text);
        }
    }

    @Test
    void aTlsGrpcClientOfAPlaintextServerFailsAtOnce() throws Exception {
        DpServer server = plaintext();

        assertThatThrownBy(() -> check(tlsChannel(server, CA)))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                    assertThat(e).rootCause().hasMessageContaining("not an SSL/TLS record");
                });
    }

    @Test
    void aTlsHttpClientOfAPlaintextServerFailsAtOnce() throws Exception {
        DpServer server = plaintext();

        // The server answers the ClientHello with a plaintext 400 and closes: the client either reads that answer
        // as a broken TLS record or sees the connection end first; either way it fails at once, without retrying
        assertThatThrownBy(() -> post(https(CA, HttpClient.Version.HTTP_1_1), server, "{}"))
                .isInstanceOf(java.io.IOException.class)
                .satisfiesAnyOf(
                        e -> assertThat(e).isInstanceOf(SSLException.class).hasMessageContaining(
                                "Unrecognized SSL message"),
                        e -> assertThat(e).hasMessageContaining("received no bytes"));
    }

    @Test
    void aTlsClientHelloToThePlaintextPortIsAnsweredInPlaintext() throws Exception {
        DpServer server = plaintext();
        try (Socket socket = socket(server)) {
            socket.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x00, 0x05, 0x01, 0x00, 0x00, 0x01, 0x00});
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 400 Bad Request\r\n").endsWith("it speaks plaintext, not TLS"
                    + " (dpServer.plaintext is true): use http://127.0.0.1:" + server.port());
        }
    }

    // --- plaintext, when asked ---

    @Test
    void servesGrpcAndHttpInPlaintextWhenAsked() throws Exception {
        DpServer server = plaintext();
        ManagedChannel channel = plaintextChannel(server);

        assertThat(check(channel)).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        assertThat(calls.get(0).getSecurityLevel()).isEqualTo(SecurityLevel.NONE);
        assertThat(calls.get(0).getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION)).isNull();
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/bootstrap"))
                        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.body()).isEqualTo("{\"echo\":{}}");
    }

    @Test
    void decidesOnlyOnceTheFirstBytesArrive() throws Exception {
        DpServer server = plaintext();
        // "P", then the rest: the sniffer must wait rather than guess from one byte ("POST" vs "PRI").
        try (Socket socket = socket(server)) {
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

    // --- streams per client ---

    @Test
    void capsConcurrentStreamsPerClientAndCountsThemDownWhenTheyEnd() throws Exception {
        DpServer server = start(TestTls.transport(), HttpTimeouts.DEFAULTS, 2);
        ManagedChannel channel = tlsChannel(server, CA);
        InetAddress client = InetAddress.getByName("127.0.0.1");
        Watch first = watch(channel);
        Watch second = watch(channel);
        first.serving.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        second.serving.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(server.openStreams(client)).isEqualTo(2);

        Watch third = watch(channel);
        Throwable refused = third.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(Status.fromThrowable(refused).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(Status.fromThrowable(refused).getDescription()).isEqualTo("too many concurrent streams from"
                + " 127.0.0.1: at most 2 per client address (set URSA_DP_SERVER_MAX_STREAMS_PER_CLIENT to change the"
                + " limit, 0 for none)");
        assertThat(server.openStreams(client)).as("a refused stream is not counted").isEqualTo(2);

        first.cancel();
        await().atMost(WAIT).until(() -> server.openStreams(client) == 1);
        Watch fourth = watch(channel);
        fourth.serving.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(server.openStreams(client)).isEqualTo(2);

        second.cancel();
        fourth.cancel();
        await().atMost(WAIT).until(() -> server.openStreams(client) == 0);
    }

    /** An open {@code Health/Watch} stream: it stays open until cancelled. */
    private static final class Watch {
        final CompletableFuture<HealthCheckResponse> serving = new CompletableFuture<>();
        final CompletableFuture<Throwable> closed = new CompletableFuture<>();
        ClientCallStreamObserver<HealthCheckRequest> requests;

        void cancel() {
            requests.cancel("done", null);
        }
    }

    private static Watch watch(ManagedChannel channel) {
        Watch watch = new Watch();
        HealthGrpc.newStub(channel).watch(HealthCheckRequest.getDefaultInstance(),
                new ClientResponseObserver<HealthCheckRequest, HealthCheckResponse>() {
                    @Override
                    public void beforeStart(ClientCallStreamObserver<HealthCheckRequest> requests) {
                        watch.requests = requests;
                    }

                    @Override
                    public void onNext(HealthCheckResponse response) {
                        watch.serving.complete(response);
                    }

                    @Override
                    public void onError(Throwable t) {
                        watch.closed.complete(t);
                    }

                    @Override
                    public void onCompleted() {
                        watch.closed.complete(null);
                    }
                });
        return watch;
    }

    // --- timeouts ---

    @Test
    void closesAConnectionWhoseRequestLineDoesNotArriveInTime() throws Exception {
        DpServer server = start(DpTransport.plaintext(), SHORT, 0);
        try (Socket socket = socket(server)) {
            socket.getOutputStream().write("POST /boot".getBytes(StandardCharsets.US_ASCII));
            assertThat(socket.getInputStream().read()).as("end of stream").isEqualTo(-1);
        }
    }

    @Test
    void closesAConnectionThatSendsNothing() throws Exception {
        DpServer plain = start(DpTransport.plaintext(), SHORT, 0);
        DpServer tls = start(TestTls.transport(), SHORT, 0);
        for (DpServer server : List.of(plain, tls)) {
            try (Socket socket = socket(server)) {
                assertThat(socket.getInputStream().read()).as("end of stream").isEqualTo(-1);
            }
        }
    }

    @Test
    void closesAConnectionWhoseTlsHandshakeDoesNotComplete() throws Exception {
        DpServer server = start(TestTls.transport(), SHORT, 0);
        try (Socket socket = socket(server)) {
            socket.getOutputStream().write(new byte[] {0x16, 0x03, 0x01});
            assertThat(socket.getInputStream().readAllBytes()).as("nothing, then end of stream").isEmpty();
        }
    }

    @Test
    void closesAConnectionWhoseBodyDoesNotArriveInTime() throws Exception {
        DpServer server = start(DpTransport.plaintext(), SHORT, 0);
        try (Socket socket = socket(server)) {
            socket.getOutputStream().write(("POST /bootstrap HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n{\"")
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(socket.getInputStream().read()).as("end of stream").isEqualTo(-1);
        }
    }

    @Test
    void closesAKeepAliveConnectionThatStaysIdle() throws Exception {
        DpServer server = start(DpTransport.plaintext(), SHORT, 0);
        try (Socket socket = socket(server)) {
            socket.getOutputStream().write(("POST /bootstrap HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}")
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 200").endsWith("{\"echo\":{}}");
        }
    }

    private static Socket socket(DpServer server) throws IOException {
        Socket socket = new Socket("127.0.0.1", server.port());
        socket.setSoTimeout((int) WAIT.toMillis());
        return socket;
    }

    private static HttpClient https(String trustedCa, HttpClient.Version version) {
        return HttpClient.newBuilder().version(version).sslContext(TestTls.trusting(trustedCa)).build();
    }

    private static HttpResponse<String> post(HttpClient http, DpServer server, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + "/bootstrap"))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
