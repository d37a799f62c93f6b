package io.ursa.dp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bootstrap over https, the default scheme: verified against the given CA, or not at all without one. The
 * certificates are fixtures in {@code src/test/resources/tls} (see the README there).
 */
class TlsBootstrapTest {
    private static final char[] PASSWORD = "changeit".toCharArray();

    private final TestEnvironment env = new TestEnvironment();
    private HttpsServer server;

    @BeforeEach
    void startHttpsServer() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = resource("cp.p12")) {
            store.load(in, PASSWORD);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        server.createContext("/bootstrap", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                byte[] body = FakeControlPlane.okBody(FakeControlPlane.BOOTSTRAP_YAML).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stopHttpsServer() {
        server.stop(0);
    }

    @Test
    void verifiesTheControlPlaneAgainstTheGivenCa() throws Exception {
        assertThat(fetch(pem("cp.pem"), RetryPolicy.DEFAULT)).isPresent();
        assertThat(env.err()).doesNotContain("cannot verify the identity");
    }

    @Test
    void acceptsAnyCertificateWithoutACaButWarns() throws Exception {
        assertThat(fetch("", RetryPolicy.DEFAULT)).isPresent();
        assertThat(env.err()).contains("WARN  the data plane proxy cannot verify the identity of the control plane");
    }

    @Test
    void refusesAControlPlaneNotSignedByTheGivenCa() {
        assertThatThrownBy(() -> fetch(pem("other.pem"), new RetryPolicy(Duration.ofSeconds(1),
                Duration.ofSeconds(1))))
                .isInstanceOf(DpException.class)
                .hasMessageStartingWith("could not reach the control plane at https://127.0.0.1:");
    }

    private Optional<BootstrapResponse> fetch(String caCert, RetryPolicy retry) throws InterruptedException {
        URI address = URI.create("https://127.0.0.1:" + server.getAddress().getPort());
        BootstrapRequest request = new BootstrapRequest("demo", "backend-1", ProxyType.DATAPLANE, Optional.empty(),
                Optional.empty(), Optional.empty(), TestEnvironment.BUILD,
                EnvoyVersion.parse(FakeEnvoy.VERSION_OUTPUT).orElseThrow(), caCert, "linux", 0);
        return new BootstrapClient(address, BootstrapClient.httpClient(address, caCert, env.log()), retry, env.time,
                env.time, new StopSignal(), env.log()).fetch(request);
    }

    private static InputStream resource(String name) {
        InputStream in = TlsBootstrapTest.class.getResourceAsStream("/tls/" + name);
        if (in == null) {
            throw new AssertionError("missing test resource tls/" + name);
        }
        return in;
    }

    private static String pem(String name) throws IOException {
        try (InputStream in = resource(name)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
