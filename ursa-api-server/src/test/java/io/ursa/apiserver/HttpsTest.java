package io.ursa.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.Test;

/** The same API over HTTPS with the certificate the configuration gives, and the CA served to clients. */
class HttpsTest {
    private static final TestCa CA = TestCa.create("Test Control Plane CA");
    private static final TestCa.ServerCertificate SERVER = CA.issueServerCertificate();

    private static ApiServerConfig.Https https(ApiServerConfig.TlsVersion minVersion) {
        return new ApiServerConfig.Https("127.0.0.1", 0, SERVER.chainPem(), SERVER.keyPem(), minVersion);
    }

    @Test
    void httpsServesTheSameRoutesWithTheGivenCertificate() {
        ApiServerConfig config = ApiServerConfig.defaults().withHttps(https(ApiServerConfig.TlsVersion.TLSv1_2));
        try (TestServer api = TestServer.withTls(config, CA.trustingClient())) {
            int httpsPort = api.server.httpsPort().orElseThrow();
            String base = "https://127.0.0.1:" + httpsPort;

            Reply created = api.send(HttpRequest.newBuilder(URI.create(base + "/meshes/secure"))
                    .header("Content-Type", "application/yaml")
                    .PUT(HttpRequest.BodyPublishers.ofString(Fixtures.mesh("secure"))));
            Reply read = api.send(HttpRequest.newBuilder(URI.create(base + "/meshes/secure")));
            Reply plain = api.get("/meshes/secure");

            assertThat(created.status()).as("loopback over HTTPS is the admin as well").isEqualTo(201);
            assertThat(read.status()).isEqualTo(200);
            assertThat(read.json().path("name").asText()).isEqualTo("secure");
            assertThat(plain.status()).as("plain HTTP alongside").isEqualTo(200);
            assertThat(api.server.addresses()).extracting(URI::toString)
                    .containsExactly("http://127.0.0.1:" + api.server.httpPort().orElseThrow(), base);
        }
    }

    @Test
    void httpsAloneWhenPlainHttpIsOff() {
        ApiServerConfig config = ApiServerConfig.defaults()
                .withHttps(https(ApiServerConfig.TlsVersion.TLSv1_2)).withoutHttp();
        try (TestServer api = TestServer.withTls(config, CA.trustingClient())) {
            assertThat(api.server.httpPort()).isEmpty();
            assertThat(api.address()).startsWith("https://");
            assertThat(api.get("/").status()).isEqualTo(200);
        }
    }

    @Test
    void aClientThatDoesNotTrustTheCaIsRefusedAndTls13OnlyRefusesTls12() throws Exception {
        ApiServerConfig config = ApiServerConfig.defaults()
                .withHttps(https(ApiServerConfig.TlsVersion.TLSv1_3)).withoutHttp();
        try (TestServer api = TestServer.withTls(config, CA.trustingClient())) {
            URI uri = URI.create(api.address() + "/");
            HttpClient stranger = HttpClient.newBuilder()
                    .sslContext(TestCa.create("Someone Else").trustingClient()).build();
            SSLParameters tls12 = new SSLParameters();
            tls12.setProtocols(new String[] {"TLSv1.2"});
            HttpClient old = HttpClient.newBuilder().sslContext(CA.trustingClient()).sslParameters(tls12).build();

            assertThat(api.get("/").status()).isEqualTo(200);
            assertThatThrownBy(() -> stranger.send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofString())).isInstanceOf(SSLHandshakeException.class);
            assertThatThrownBy(() -> old.send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofString())).isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void theCaCertificateIsPublicOr404() {
        ApiServerConfig config = ApiServerConfig.defaults().withLocalhostIsAdmin(false)
                .withCaCertificatePem(CA.certificatePem());
        try (TestServer api = TestServer.start(config, DataplaneInsights.none());
             TestServer none = TestServer.start()) {
            Reply ca = api.get("/control-plane/ca.pem");
            Reply missing = none.get("/control-plane/ca.pem");

            assertThat(ca.status()).isEqualTo(200);
            assertThat(ca.header("Content-Type")).hasValueSatisfying(v -> assertThat(v)
                    .startsWith("application/x-pem-file"));
            assertThat(ca.body()).isEqualTo(CA.certificatePem());
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.json().path("title").asText()).isEqualTo("Could not retrieve the CA certificate");
            assertThat(missing.causes()).containsExactly(": this control plane has no CA certificate to serve");
        }
    }

    @Test
    void keysInEveryPemFormAreReadAndAWrongKeyIsRefused() throws Exception {
        String sec1 = traditional(SERVER.keyPem());
        String pkcs1 = traditional(CA.keyPem());

        assertThat(sec1).startsWith("-----BEGIN EC PRIVATE KEY-----");
        assertThat(pkcs1).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(PemKeyStore.parse(SERVER.chainPem(), sec1).keyStore().getCertificateChain(PemKeyStore.ALIAS))
                .hasSize(2);
        assertThat(PemKeyStore.parse(CA.certificatePem(), pkcs1).keyStore().size()).isEqualTo(1);
        assertThatThrownBy(() -> PemKeyStore.parse(SERVER.chainPem(), CA.keyPem()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid HTTPS private key: it does not belong to the certificate CN=localhost,O=Ursa"
                        + " (expected: the key of the first certificate of the chain)")
                .message().doesNotContain("PRIVATE");
        assertThatThrownBy(() -> PemKeyStore.parse("no certificate", SERVER.keyPem()))
                .hasMessage("invalid HTTPS certificate chain: no CERTIFICATE block (expected: PEM CERTIFICATE blocks,"
                        + " the server's certificate first)");
        assertThatThrownBy(() -> PemKeyStore.parse(SERVER.chainPem(), ""))
                .hasMessage("invalid HTTPS private key: found 0 keys (expected: an unencrypted PEM PRIVATE KEY,"
                        + " RSA PRIVATE KEY or EC PRIVATE KEY)");
        assertThat(https(ApiServerConfig.TlsVersion.TLSv1_2).toString()).doesNotContain("PRIVATE KEY");
    }

    /** A PKCS#8 key re-encoded the traditional OpenSSL way (SEC1 with its curve for EC, PKCS#1 for RSA). */
    private static String traditional(String pkcs8Pem) throws Exception {
        PrivateKeyInfo info;
        try (PEMParser parser = new PEMParser(new StringReader(pkcs8Pem))) {
            info = (PrivateKeyInfo) parser.readObject();
        }
        String type;
        byte[] der;
        if (info.getPrivateKeyAlgorithm().getParameters() instanceof ASN1ObjectIdentifier curve) {
            ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
            type = "EC PRIVATE KEY";
            der = new ECPrivateKey(256, inner.getKey(), curve).getEncoded();
        } else {
            type = "RSA PRIVATE KEY";
            der = info.parsePrivateKey().toASN1Primitive().getEncoded();
        }
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(new PemObject(type, der));
        }
        return out.toString();
    }
}
