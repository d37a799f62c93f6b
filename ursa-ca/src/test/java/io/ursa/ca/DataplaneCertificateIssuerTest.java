package io.ursa.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Proxy identity certificates (mesh-spec §13.2), signed by a real builtin root CA and checked with the JDK. */
class DataplaneCertificateIssuerTest {
    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
    private static final Map<String, Set<String>> TAGS = Map.of(
            "kuma.io/service", Set.of("web-api", "web"),
            "version", Set.of("v1"));
    private static BuiltinRootCa ca;
    private final DataplaneCertificateIssuer issuer = new DataplaneCertificateIssuer(
            Clock.fixed(NOW, ZoneOffset.UTC), new SecureRandom());

    @BeforeAll
    static void createCa() {
        ca = BuiltinRootCa.create("default", 1024, Duration.ofDays(3650), NOW.minusSeconds(60));
    }

    @Test
    void issuesKumasIdentityWithSpiffeAndTagSans() throws Exception {
        DataplaneCertificateIssuer.Issued issued = issue(DataplaneCertificateIssuer.KeyType.ECDSA_P256);

        X509Certificate cert = certificate(issued.certificatePem());
        assertThat(cert.getSubjectX500Principal().getName()).isEmpty();
        assertThat(cert.getSubjectAlternativeNames().stream().map(san -> (Object) san.get(1)).toList()).containsExactly(
                "spiffe://default/web", "spiffe://default/web-api", "kuma://kuma.io/service/web",
                "kuma://kuma.io/service/web-api", "kuma://version/v1");
        assertThat(cert.getCriticalExtensionOIDs()).as("SAN is critical with an empty subject")
                .contains("2.5.29.17");
        assertThat(cert.getKeyUsage()).startsWith(true, false, true, false, true);
        assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        assertThat(cert.getBasicConstraints()).as("not a CA").isEqualTo(-1);
        assertThat(cert.getSerialNumber().signum()).isPositive();
        assertThat(cert.getSerialNumber().bitLength()).isLessThanOrEqualTo(128);
        assertThat(cert.getNotBefore().toInstant()).isEqualTo(NOW.minusSeconds(10)).isEqualTo(issued.notBefore());
        assertThat(cert.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofHours(24)))
                .isEqualTo(issued.notAfter());
        assertThat(cert.getPublicKey()).isInstanceOf(ECPublicKey.class);
        assertThat(issued.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----");
    }

    @Test
    void chainsToTheMeshCaForAPeerThatTrustsIt() throws Exception {
        X509Certificate leaf = certificate(issue(DataplaneCertificateIssuer.KeyType.ECDSA_P256).certificatePem());
        X509Certificate root = certificate(new String(ca.certificatePem(), StandardCharsets.US_ASCII));

        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
        params.setRevocationEnabled(false);
        params.setDate(Date.from(NOW));
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), params);
    }

    @Test
    void certificatesIssuedOnSeveralThreadsAtOnceEachHaveTheirOwnKeyAndNameTheCaAsIssuer() throws Exception {
        X509Certificate root = certificate(new String(ca.certificatePem(), StandardCharsets.US_ASCII));
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<DataplaneCertificateIssuer.Issued>> issuing = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                issuing.add(threads.submit(() -> issue(DataplaneCertificateIssuer.KeyType.ECDSA_P256)));
            }
            Set<Object> keys = new HashSet<>();
            for (Future<DataplaneCertificateIssuer.Issued> issued : issuing) {
                X509Certificate leaf = certificate(issued.get().certificatePem());
                assertThat(leaf.getIssuerX500Principal().getEncoded())
                        .isEqualTo(root.getSubjectX500Principal().getEncoded());
                leaf.verify(root.getPublicKey());
                keys.add(leaf.getPublicKey());
            }
            assertThat(keys).hasSize(16);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void issuesRsaKeysWhenAskedAndANewSerialEachTime() throws Exception {
        X509Certificate rsa = certificate(issue(DataplaneCertificateIssuer.KeyType.RSA_2048).certificatePem());
        X509Certificate other = certificate(issue(DataplaneCertificateIssuer.KeyType.ECDSA_P256).certificatePem());

        assertThat(((RSAPublicKey) rsa.getPublicKey()).getModulus().bitLength()).isEqualTo(2048);
        assertThat(rsa.getSerialNumber()).isNotEqualTo(other.getSerialNumber());
    }

    @Test
    void theKeyOfEachCertificateIsTheOneItsProxyGets() throws Exception {
        for (DataplaneCertificateIssuer.KeyType type : DataplaneCertificateIssuer.KeyType.values()) {
            DataplaneCertificateIssuer.Issued issued = issue(type);

            // Go's and Envoy's check: the private key belongs to the certificate's public key
            TlsKeyPair.parse(issued.certificatePem().getBytes(StandardCharsets.US_ASCII),
                    issued.privateKeyPem().getBytes(StandardCharsets.US_ASCII));
        }
    }

    @Test
    void issuesForAKeyMadeAheadWithThatKey() throws Exception {
        ProxyKeyGenerator.PreparedKey key = new ProxyKeyGenerator(new SecureRandom())
                .generate(DataplaneCertificateIssuer.KeyType.ECDSA_P256);

        DataplaneCertificateIssuer.Issued issued = issuer.issue(ca.certificatePem(), ca.keyPem(), "default", TAGS,
                Duration.ofHours(24), key);

        X509Certificate cert = certificate(issued.certificatePem());
        assertThat(cert.getPublicKey().getEncoded()).isEqualTo(key.subjectPublicKeyInfo());
        assertThat(issued.privateKeyPem()).isEqualTo(key.privateKeyPem());
        TlsKeyPair.parse(issued.certificatePem().getBytes(StandardCharsets.US_ASCII),
                issued.privateKeyPem().getBytes(StandardCharsets.US_ASCII));
        cert.verify(certificate(new String(ca.certificatePem(), StandardCharsets.US_ASCII)).getPublicKey());
    }

    @Test
    void aLifetimeBeyondWhatX509CanExpressEndsAtTheLastDateItCan() throws Exception {
        DataplaneCertificateIssuer.Issued issued = issuer.issue(ca.certificatePem(), ca.keyPem(), "default", TAGS,
                Duration.ofMillis(Long.MAX_VALUE), DataplaneCertificateIssuer.KeyType.ECDSA_P256);

        assertThat(certificate(issued.certificatePem()).getNotAfter().toInstant())
                .isEqualTo(Instant.parse("9999-12-31T23:59:59Z"));
    }

    @Test
    void refusesAProxyWithoutAServiceAndACaThatCannotSign() {
        assertThatThrownBy(() -> issuer.issue(ca.certificatePem(), ca.keyPem(), "default",
                Map.of("version", Set.of("v1")), Duration.ofHours(1), DataplaneCertificateIssuer.KeyType.ECDSA_P256))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kuma.io/service");
        assertThatThrownBy(() -> issuer.issue(ca.certificatePem(), "not a key".getBytes(StandardCharsets.UTF_8),
                "default", TAGS, Duration.ofHours(1), DataplaneCertificateIssuer.KeyType.ECDSA_P256))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the CA of mesh default cannot sign");
    }

    private DataplaneCertificateIssuer.Issued issue(DataplaneCertificateIssuer.KeyType keyType) {
        return issuer.issue(ca.certificatePem(), ca.keyPem(), "default", TAGS, Duration.ofHours(24), keyType);
    }

    private static X509Certificate certificate(String pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }
}
