package io.ursa.ca;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursa.api.codec.Json;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.manager.ResourceManager;
import io.ursa.core.store.MemoryResourceStore;
import io.ursa.api.validation.Violation;
import io.ursa.api.validation.Violations;
import io.ursa.core.ca.CaBackendContext;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.OptionalLong;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.junit.jupiter.api.Test;

/** The builtin CA that enabling a {@code builtin} backend creates (mesh-spec §4.3 and §13.1). */
class BuiltinRootCaTest {
    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
    private final BuiltinCaPlugin plugin = new BuiltinCaPlugin(Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void createsARootCertificateAndKeyAsKumaDoes() throws Exception {
        InMemorySecrets secrets = new InMemorySecrets();

        plugin.ensure(context("demo", "ca-1", "{caCert: {RSAbits: 1024, expiration: 2y}}", secrets));

        X509Certificate cert = certificate(secrets.read("demo", "demo.ca-builtin-cert-ca-1").orElseThrow());
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=demo,OU=Mesh,O=Kuma");
        assertThat(cert.getIssuerX500Principal()).isEqualTo(cert.getSubjectX500Principal());
        assertThat(cert.getSerialNumber()).isZero();
        assertThat(cert.getBasicConstraints()).as("CA with no path length limit").isEqualTo(Integer.MAX_VALUE);
        assertThat(cert.getKeyUsage()[5]).as("keyCertSign").isTrue();
        assertThat(cert.getKeyUsage()[6]).as("cRLSign").isTrue();
        assertThat(cert.getKeyUsage()[0]).as("digitalSignature").isFalse();
        assertThat(cert.getSubjectAlternativeNames()).containsExactly(List.of(6, "spiffe://demo"));
        assertThat(cert.getNotBefore().toInstant()).isEqualTo(NOW.minusSeconds(10));
        assertThat(cert.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(730)));
        assertThat(((RSAPublicKey) cert.getPublicKey()).getModulus().bitLength()).isEqualTo(1024);
        cert.verify(cert.getPublicKey());

        String keyPem = new String(secrets.read("demo", "demo.ca-builtin-key-ca-1").orElseThrow(),
                StandardCharsets.US_ASCII);
        assertThat(keyPem).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        RSAPrivateCrtKey key = privateKey(keyPem);
        assertThat(key.getModulus()).as("the key belongs to the certificate")
                .isEqualTo(((RSAPublicKey) cert.getPublicKey()).getModulus());
    }

    @Test
    void usesKumasDefaultsOfRsa2048AndTenYears() throws Exception {
        InMemorySecrets secrets = new InMemorySecrets();

        plugin.ensure(context("default", "ca-1", "{}", secrets));

        X509Certificate cert = certificate(secrets.read("default", "default.ca-builtin-cert-ca-1").orElseThrow());
        assertThat(((RSAPublicKey) cert.getPublicKey()).getModulus().bitLength()).isEqualTo(2048);
        assertThat(cert.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(3650)));
    }

    @Test
    void anExpirationBeyondWhatX509CanExpressEndsAtTheLastDateItCan() throws Exception {
        InMemorySecrets secrets = new InMemorySecrets();

        plugin.ensure(context("default", "ca-1", "{caCert: {expiration: 99999999999999999999y}}", secrets));

        X509Certificate cert = certificate(secrets.read("default", "default.ca-builtin-cert-ca-1").orElseThrow());
        assertThat(cert.getNotAfter().toInstant()).isEqualTo(Instant.parse("9999-12-31T23:59:59Z"));
    }

    @Test
    void neverReplacesAnExistingCa() throws Exception {
        InMemorySecrets secrets = new InMemorySecrets();
        plugin.ensure(context("demo", "ca-1", "{caCert: {RSAbits: 1024}}", secrets));
        byte[] first = secrets.read("demo", "demo.ca-builtin-cert-ca-1").orElseThrow();

        plugin.ensure(context("demo", "ca-1", "{caCert: {RSAbits: 2048, expiration: 1y}}", secrets));

        assertThat(secrets.read("demo", "demo.ca-builtin-cert-ca-1").orElseThrow()).isEqualTo(first);
    }

    @Test
    void givesEveryMeshItsOwnRoot() throws Exception {
        InMemorySecrets secrets = new InMemorySecrets();

        plugin.ensure(context("a", "ca-1", "{caCert: {RSAbits: 1024}}", secrets));
        plugin.ensure(context("b", "ca-1", "{caCert: {RSAbits: 1024}}", secrets));

        X509Certificate a = certificate(secrets.read("a", "a.ca-builtin-cert-ca-1").orElseThrow());
        X509Certificate b = certificate(secrets.read("b", "b.ca-builtin-cert-ca-1").orElseThrow());
        assertThat(a.getPublicKey()).isNotEqualTo(b.getPublicKey());
        assertThat(a.getSubjectAlternativeNames()).containsExactly(List.of(6, "spiffe://a"));
        assertThat(b.getSubjectAlternativeNames()).containsExactly(List.of(6, "spiffe://b"));
    }

    @Test
    void enablingMtlsOnAMeshCreatesItsCaOnceThroughTheManager() throws Exception {
        ResourceManager manager = ResourceManager.create(new MemoryResourceStore(), Clock.systemUTC(),
                CaPlugins.standard());
        ResourceCodec codec = new ResourceCodec(ResourceTypes.standard());
        String mesh = """
                type: Mesh
                name: demo
                mtls:
                  enabledBackend: ca-1
                  backends:
                  - name: ca-1
                    type: builtin
                    conf:
                      caCert:
                        RSAbits: 1024
                """;
        upsert(manager, codec, mesh);
        var cert = manager.get(ResourceTypes.SECRET, "demo", "demo.ca-builtin-cert-ca-1").orElseThrow();
        assertThat(manager.get(ResourceTypes.SECRET, "demo", "demo.ca-builtin-key-ca-1")).isPresent();

        upsert(manager, codec, mesh.replace("RSAbits: 1024", "RSAbits: 2048"));

        assertThat(manager.get(ResourceTypes.SECRET, "demo", "demo.ca-builtin-cert-ca-1").orElseThrow().meta()
                .version()).as("the CA Secret is not rewritten by a later update").isEqualTo(cert.meta().version());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void upsert(ResourceManager manager, ResourceCodec codec, String yaml) {
        Resource resource = codec.decode(codec.parseYamlDocuments(yaml).get(0));
        manager.upsert(resource.type(), resource.mesh(), resource.name(), resource.spec(), OptionalLong.empty());
    }

    @Test
    void refusesACaItCouldNotCreateBeforeAnythingIsStored() throws Exception {
        Violations violations = new Violations();

        plugin.validate(context("demo", "ca-1", "{caCert: {RSAbits: 512, expiration: 10 years}}",
                new InMemorySecrets()), violations);

        assertThat(violations.list()).containsExactly(
                new Violation("caCert.RSAbits", "invalid RSAbits: 512 (expected: 1024-8192)"),
                new Violation("caCert.expiration", "invalid expiration: \"10 years\" (expected: a positive duration"
                        + " such as 10y, 365d or 8760h)"));
    }

    private static CaBackendContext context(String mesh, String backend, String confYaml, InMemorySecrets secrets)
            throws Exception {
        return new CaBackendContext(mesh, backend, "builtin", (ObjectNode) Json.yaml().readTree(confYaml), secrets);
    }

    private static X509Certificate certificate(byte[] pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem));
    }

    private static RSAPrivateCrtKey privateKey(String pem) throws Exception {
        try (PEMParser parser = new PEMParser(new java.io.StringReader(pem))) {
            PrivateKeyInfo info = ((PEMKeyPair) parser.readObject()).getPrivateKeyInfo();
            return (RSAPrivateCrtKey) KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
        }
    }
}
