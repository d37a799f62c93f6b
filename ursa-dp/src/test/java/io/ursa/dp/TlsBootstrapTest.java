package io.ursa.dp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.ursa.api.codec.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bootstrap over https, the default scheme, with real TLS handshakes: the server is verified against the given CA
 * only, or against the JVM's default trust store; a server that fails the check, or a scheme that does not match the
 * server, ends the agent at once (no retry) with the way to fix it.
 */
class TlsBootstrapTest {
    private static final String CA_SOURCE = "--ca-cert-file /etc/ursa/cp-ca.pem";

    @TempDir
    Path dir;

    private final TestEnvironment env = new TestEnvironment();
    private final ServerCertificates.Ca ca = ServerCertificates.Ca.create("Ursa Control Plane CA");
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private HttpsServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void verifiesTheControlPlaneAgainstTheGivenCaAndSendsThatCa() throws Exception {
        startHttpsServer(ca.issue("127.0.0.1", "localhost"));

        assertThat(fetch(https(ControlPlaneTrust.ca(ca.pem(), CA_SOURCE)))).isPresent();

        assertThat(requests).singleElement().satisfies(sent ->
                assertThat(sent.path("caCert").asText()).isEqualTo(ca.pem()));
    }

    @Test
    void refusesAControlPlaneTheGivenCaDoesNotSignAtOnce() throws Exception {
        startHttpsServer(ServerCertificates.Ca.create("Someone Else").issue("127.0.0.1"));

        assertThatThrownBy(() -> fetch(https(ControlPlaneTrust.ca(ca.pem(), CA_SOURCE))))
                .isInstanceOf(DpException.class)
                .hasMessageStartingWith("the control plane at " + origin("https") + " presented a certificate that"
                        + " the CA in " + CA_SOURCE + " does not sign: ")
                .hasMessageEndingWith("; pass the control plane's CA with --ca-cert-file (it is served at GET"
                        + " /control-plane/ca.pem on the control plane's API)");
        assertNoRetry();
        assertThat(requests).isEmpty();
    }

    @Test
    void refusesACertificateThatNamesAnotherHostAtOnce() throws Exception {
        startHttpsServer(ca.issue("cp.example"));

        assertThatThrownBy(() -> fetch(https(ControlPlaneTrust.ca(ca.pem(), CA_SOURCE))))
                .isInstanceOf(DpException.class)
                .hasMessageStartingWith("the control plane at " + origin("https") + " presented a certificate that is"
                        + " not valid for 127.0.0.1: No subject alternative names matching IP address 127.0.0.1 found")
                .hasMessageEndingWith("; use a --cp-address whose host the certificate names, or add 127.0.0.1 to the"
                        + " control plane's general.tlsSubjectAltNames");
        assertNoRetry();
    }

    @Test
    void theDefaultTrustStoreRefusesAControlPlaneWithItsOwnCa() throws Exception {
        startHttpsServer(ca.issue("127.0.0.1"));

        assertThatThrownBy(() -> fetch(https(ControlPlaneTrust.defaultTrustStore())))
                .isInstanceOf(DpException.class)
                .hasMessageStartingWith("the control plane at " + origin("https") + " presented a certificate that"
                        + " the JVM's default trust store does not sign: ")
                .hasMessageContaining("--ca-cert-file");
        assertNoRetry();
        assertThat(requests).isEmpty();
    }

    @Test
    void withTheDefaultTrustStoreSendsTheCaThatVerifiedTheServer() throws Exception {
        startHttpsServer(ca.issue("127.0.0.1"));
        Path trustStore = dir.resolve("trust.p12");
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("ursa", ca.certificate());
        store.setCertificateEntry("unrelated", ServerCertificates.Ca.create("Unrelated").certificate());
        try (OutputStream out = Files.newOutputStream(trustStore)) {
            store.store(out, "changeit".toCharArray());
        }

        Map<String, String> previous = setTrustStore(Map.of("javax.net.ssl.trustStore", trustStore.toString(),
                "javax.net.ssl.trustStorePassword", "changeit", "javax.net.ssl.trustStoreType", "PKCS12"));
        try {
            assertThat(fetch(https(ControlPlaneTrust.defaultTrustStore()))).isPresent();
        } finally {
            setTrustStore(previous);
        }

        assertThat(requests).singleElement().satisfies(sent ->
                assertThat(sent.path("caCert").asText()).isEqualTo(ca.pem()));
    }

    @Test
    void anHttpAddressOfATlsServerFailsAtOnceNamingHttps() throws Exception {
        try (SchemeMismatchServer tlsPort = SchemeMismatchServer.start(SchemeMismatchServer.Mode.TLS_PORT)) {
            String address = "127.0.0.1:" + tlsPort.port();

            assertThatThrownBy(() -> fetch(new ControlPlaneAddress(URI.create("http://" + address), Optional.empty())))
                    .isInstanceOf(DpException.class)
                    .hasMessage("the control plane at http://" + address + " speaks TLS: use https://" + address);
            assertThat(tlsPort.connections()).isEqualTo(1);
        }
        assertNoRetry();
    }

    @Test
    void anHttpsAddressOfAPlaintextServerFailsAtOnceNamingHttp() throws Exception {
        for (ControlPlaneTrust trust : List.of(ControlPlaneTrust.ca(ca.pem(), CA_SOURCE),
                ControlPlaneTrust.defaultTrustStore())) {
            try (SchemeMismatchServer plaintext =
                         SchemeMismatchServer.start(SchemeMismatchServer.Mode.PLAINTEXT_PORT)) {
                String address = "127.0.0.1:" + plaintext.port();

                assertThatThrownBy(() -> fetch(new ControlPlaneAddress(URI.create("https://" + address),
                        Optional.of(trust))))
                        .isInstanceOf(DpException.class)
                        .hasMessage("the control plane at https://" + address + " does not speak TLS on this port: use"
                                + " http://" + address + " if it runs with dpServer.plaintext, or check the port");
                assertThat(plaintext.connections()).isEqualTo(1);
            }
        }
        assertNoRetry();
    }

    private void startHttpsServer(ServerCertificates.Server certificate) throws IOException {
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(certificate.sslContext()));
        server.createContext("/bootstrap", exchange -> {
            try (exchange) {
                requests.add(Json.json().readTree(exchange.getRequestBody().readAllBytes()));
                byte[] body = FakeControlPlane.okBody(FakeControlPlane.BOOTSTRAP_YAML).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
    }

    private String origin(String scheme) {
        return scheme + "://127.0.0.1:" + server.getAddress().getPort();
    }

    private ControlPlaneAddress https(ControlPlaneTrust trust) {
        return new ControlPlaneAddress(URI.create(origin("https")), Optional.of(trust));
    }

    private Optional<BootstrapResponse> fetch(ControlPlaneAddress address) throws InterruptedException {
        BootstrapRequest request = new BootstrapRequest("demo", "backend-1", ProxyType.DATAPLANE, Optional.empty(),
                Optional.empty(), Optional.empty(), TestEnvironment.BUILD,
                EnvoyVersion.parse(FakeEnvoy.VERSION_OUTPUT).orElseThrow(), "", "linux", 0, Optional.empty());
        return new BootstrapClient(address, RetryPolicy.DEFAULT, env.time, env.time, new StopSignal(), env.log())
                .fetch(request);
    }

    /** One attempt and no wait for another. */
    private void assertNoRetry() {
        assertThat(env.time.sleeps()).isEmpty();
        assertThat(env.err()).contains("(attempt 1)").doesNotContain("(attempt 2)").doesNotContain("retrying");
    }

    /** Sets (or clears, for an empty value) the trust store properties; returns the values they had. */
    private static Map<String, String> setTrustStore(Map<String, String> values) {
        Map<String, String> previous = new java.util.HashMap<>();
        values.forEach((key, value) -> {
            previous.put(key, System.getProperty(key, ""));
            if (value.isEmpty()) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, value);
            }
        });
        return previous;
    }
}
