package io.ursa.cp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ursa.api.resource.ResourceTypes;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a start sets up for the API's security: roles, the admin token, HTTPS from the configured files. */
class ApiSecurityStartTest {
    private static Map<String, String> env(Path dir, String... extra) {
        Map<String, String> env = new HashMap<>(Map.of(
                "URSA_API_SERVER_HTTP_PORT", "0",
                "URSA_API_SERVER_HTTPS_PORT", "0",
                "URSA_DIAGNOSTICS_SERVER_PORT", "0",
                "URSA_DP_SERVER_PORT", "0",
                "URSA_STORE_TYPE", "memory",
                "URSA_STORE_EMBEDDED_DIR", dir.toString()));
        for (int i = 0; i < extra.length; i += 2) {
            env.put(extra[i], extra[i + 1]);
        }
        return env;
    }

    @Test
    void aFreshStartKeepsTheAdminTokenAndItWorks(@TempDir Path dir) throws Exception {
        try (ControlPlane cp = ControlPlane.start(null, env(dir, "URSA_API_SERVER_AUTHN_LOCALHOST_IS_ADMIN",
                "false"))) {
            assertThat(cp.manager().get(ResourceTypes.ACCESS_ROLE, "", "admin")).isPresent();
            assertThat(cp.manager().get(ResourceTypes.GLOBAL_SECRET, "", "user-token-signing-key-1")).isPresent();
            String token = new String(cp.manager().get(ResourceTypes.GLOBAL_SECRET, "", "admin-user-token")
                    .orElseThrow().spec().bytes(), StandardCharsets.US_ASCII);
            HttpClient http = HttpClient.newHttpClient();
            URI uri = URI.create("http://127.0.0.1:" + cp.apiPort() + "/meshes/fresh");
            HttpRequest.Builder put = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"type\":\"Mesh\",\"name\":\"fresh\"}"));

            assertThat(http.send(put.build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .as("anonymous").isEqualTo(403);
            assertThat(http.send(put.header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).as("with the admin token").isEqualTo(201);
        }
    }

    @Test
    void aFreshStartHasAZoneTokenSigningKeyAndOnlyTheAdminIssuesZoneTokens(@TempDir Path dir) throws Exception {
        try (ControlPlane cp = ControlPlane.start(null, env(dir, "URSA_API_SERVER_AUTHN_LOCALHOST_IS_ADMIN",
                "false"))) {
            assertThat(cp.manager().get(ResourceTypes.GLOBAL_SECRET, "", "zone-token-signing-key-1")).isPresent();
            String token = new String(cp.manager().get(ResourceTypes.GLOBAL_SECRET, "", "admin-user-token")
                    .orElseThrow().spec().bytes(), StandardCharsets.US_ASCII);
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest.Builder post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cp.apiPort()
                    + "/tokens/zone")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"scope\":[\"egress\"],\"validFor\":\"1h\"}"));

            assertThat(http.send(post.build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .as("anonymous").isEqualTo(403);
            HttpResponse<String> issued = http.send(post.header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(issued.statusCode()).as("with the admin token").isEqualTo(200);
            new io.ursa.core.tokens.ZoneTokenValidator(cp.manager(), java.time.Clock.systemUTC())
                    .validate(issued.body(), "", "egress");
        }
    }

    @Test
    void httpsServesTheApiWithTheControlPlanesOwnCertificateAndItsCaIsPublic(@TempDir Path dir) throws Exception {
        try (ControlPlane cp = ControlPlane.start(null, env(dir))) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> ca = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cp.apiPort()
                    + "/control-plane/ca.pem")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ca.statusCode()).isEqualTo(200);
            assertThat(ca.body()).isEqualTo(cp.dpServerCertificate().caCertificatePem());
            X509Certificate caCertificate = (X509Certificate) java.security.cert.CertificateFactory
                    .getInstance("X.509").generateCertificate(new java.io.ByteArrayInputStream(
                            ca.body().getBytes(StandardCharsets.US_ASCII)));

            HttpClient https = HttpClient.newBuilder().sslContext(trusting(caCertificate)).build();
            HttpResponse<String> reply = https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
                    + cp.apiHttpsPort().orElseThrow() + "/meshes")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(reply.statusCode()).as("GET /meshes over HTTPS, trusting only the served CA").isEqualTo(200);
        }
    }

    @Test
    void noAdminTokenWhenBootstrapAdminTokenIsOff(@TempDir Path dir) {
        try (ControlPlane cp = ControlPlane.start(null, env(dir,
                "URSA_API_SERVER_AUTHN_TOKENS_BOOTSTRAP_ADMIN_TOKEN", "false"))) {
            assertThat(cp.manager().get(ResourceTypes.GLOBAL_SECRET, "", "admin-user-token")).isEmpty();
            assertThat(cp.manager().get(ResourceTypes.GLOBAL_SECRET, "", "user-token-signing-key-1")).isPresent();
        }
    }

    @Test
    void httpsServesTheApiWithTheConfiguredCertificate(@TempDir Path dir) throws Exception {
        X509Certificate certificate = writeSelfSigned(dir);
        try (ControlPlane cp = ControlPlane.start(null, env(dir,
                "URSA_API_SERVER_HTTPS_TLS_CERT_FILE", dir.resolve("cert.pem").toString(),
                "URSA_API_SERVER_HTTPS_TLS_KEY_FILE", dir.resolve("key.pem").toString(),
                "URSA_API_SERVER_HTTP_ENABLED", "false"))) {
            HttpClient https = HttpClient.newBuilder().sslContext(trusting(certificate)).build();
            URI uri = URI.create("https://127.0.0.1:" + cp.apiHttpsPort().orElseThrow() + "/meshes");

            HttpResponse<String> reply = https.send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(reply.statusCode()).isEqualTo(200);
            assertThat(cp.apiPort()).isEqualTo(cp.apiHttpsPort().orElseThrow());
        }
    }

    @Test
    void aCertificateWithoutItsKeyIsAClearStartupError(@TempDir Path dir) throws Exception {
        writeSelfSigned(dir);
        assertThatThrownBy(() -> ControlPlane.start(null, env(dir,
                "URSA_API_SERVER_HTTPS_TLS_CERT_FILE", dir.resolve("cert.pem").toString())))
                .isInstanceOf(ControlPlane.StartupException.class)
                .hasMessage("apiServer.https.tlsKeyFile is empty while apiServer.https.tlsCertFile is set (expected:"
                        + " both or neither)");
        assertThatThrownBy(() -> ControlPlane.start(null, env(dir, "URSA_API_SERVER_HTTP_ENABLED", "false",
                "URSA_API_SERVER_HTTPS_ENABLED", "false")))
                .isInstanceOf(ControlPlane.StartupException.class)
                .hasMessageStartingWith("the API would not listen anywhere");
        assertThatThrownBy(() -> ControlPlane.start(null, env(dir, "URSA_GENERAL_HTTP_HEADER_TIMEOUT", "soon")))
                .hasMessageStartingWith("invalid general.http.headerTimeout: \"soon\"");
    }

    /** Writes cert.pem and key.pem (PKCS#8) of a self-signed ECDSA certificate for 127.0.0.1 into {@code dir}. */
    private static X509Certificate writeSelfSigned(Path dir) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        X500Name name = new X500Name("CN=localhost");
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.ONE,
                Date.from(Instant.parse("2020-01-01T00:00:00Z")), Date.from(Instant.parse("2040-01-01T00:00:00Z")),
                name, keys.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        Files.writeString(dir.resolve("cert.pem"), pem("CERTIFICATE", certificate.getEncoded()));
        Files.writeString(dir.resolve("key.pem"), pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
        return certificate;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static SSLContext trusting(X509Certificate certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", certificate);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
