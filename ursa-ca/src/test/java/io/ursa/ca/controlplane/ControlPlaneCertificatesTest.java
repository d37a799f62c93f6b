package io.ursa.ca.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceKey;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.resource.Spec;
import io.ursa.api.secret.SecretSpec;
import io.ursa.ca.CaPlugins;
import io.ursa.ca.controlplane.ControlPlaneCertificates.Material;
import io.ursa.ca.controlplane.ControlPlaneCertificates.Source;
import io.ursa.core.event.ChangeListener;
import io.ursa.core.manager.ResourceManager;
import io.ursa.core.store.ListQuery;
import io.ursa.core.store.MemoryResourceStore;
import io.ursa.core.store.ResourcePage;
import io.ursa.core.store.ResourceStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control plane's own CA and server certificate kept in GlobalSecrets: created once, reused by a restart or
 * a second control plane on the same store, issued again from the same CA when the names grow or the expiry
 * nears; and certificates supplied as files.
 */
class ControlPlaneCertificatesTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final List<String> NAMES = List.of("localhost", "127.0.0.1", "::1");

    private final MemoryResourceStore store = new MemoryResourceStore();

    /** A control plane starting on {@link #store} at {@code now}. */
    private ControlPlaneCertificates controlPlane(Instant now) {
        return controlPlane(store, now);
    }

    private static ControlPlaneCertificates controlPlane(ResourceStore store, Instant now) {
        return new ControlPlaneCertificates(ResourceManager.create(store, Clock.fixed(now, ZoneOffset.UTC),
                CaPlugins.standard()), Clock.fixed(now, ZoneOffset.UTC), new SecureRandom());
    }

    @Test
    void firstStartCreatesAnEcdsaCaAndAServerCertificateItSigns() throws Exception {
        Material material = controlPlane(NOW).own(NAMES);

        assertThat(material.source()).isEqualTo(Source.CREATED);
        List<X509Certificate> chain = material.certificateChain();
        assertThat(chain).hasSize(2);
        X509Certificate leaf = chain.get(0);
        X509Certificate ca = chain.get(1);
        assertThat(ca.getSubjectX500Principal().getName()).isEqualTo("CN=Ursa Control Plane CA");
        assertThat(ca.getBasicConstraints()).as("a CA").isGreaterThanOrEqualTo(0);
        assertThat(((ECPublicKey) ca.getPublicKey()).getParams().getCurve().getField().getFieldSize())
                .isEqualTo(256);
        assertThat(ca.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(3650)));
        leaf.verify(ca.getPublicKey());
        assertThat(leaf.getBasicConstraints()).as("not a CA").isEqualTo(-1);
        assertThat(leaf.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(leaf.getPublicKey()).isInstanceOf(ECPublicKey.class);
        assertThat(leaf.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(3650)))
                .isEqualTo(material.notAfter());
        assertThat(material.subjectAltNames()).containsExactly("localhost", "127.0.0.1", "::1");
        assertThat(leaf.getSubjectAlternativeNames().stream().map(san -> (Object) san.get(1)).toList())
                .containsExactly("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1");
        assertThat(material.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(material.caCertificatePem()).isEqualTo(Issuer.pem(List.of(ca)));
        assertThat(material.caFingerprint()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}")
                .isEqualTo(HexFormat.ofDelimiter(":").withUpperCase()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(ca.getEncoded())));
        assertThat(material.toString()).doesNotContain("PRIVATE KEY");

        assertThat(secret(ControlPlaneCertificates.CA_CERT_SECRET)).isEqualTo(material.caCertificatePem());
        assertThat(secret(ControlPlaneCertificates.CA_KEY_SECRET)).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(secret(ControlPlaneCertificates.TLS_CERT_SECRET)).isEqualTo(material.certificateChainPem());
        assertThat(secret(ControlPlaneCertificates.TLS_KEY_SECRET)).isEqualTo(material.privateKeyPem());
    }

    @Test
    void aRestartOnTheSameStoreServesTheSameChain() {
        Material first = controlPlane(NOW).own(NAMES);

        Material restarted = controlPlane(NOW.plus(Duration.ofDays(100))).own(List.of("127.0.0.1", "localhost"));

        assertThat(restarted.source()).isEqualTo(Source.REUSED);
        assertThat(restarted.certificateChainPem()).isEqualTo(first.certificateChainPem());
        assertThat(restarted.privateKeyPem()).isEqualTo(first.privateKeyPem());
        assertThat(restarted.caFingerprint()).isEqualTo(first.caFingerprint());
    }

    @Test
    void aControlPlaneThatLosesTheRaceToCreateTheCaUsesTheWinnersCa() {
        // The other control plane creates everything between this one's read and its first write.
        Material[] winner = new Material[1];
        ResourceStore racing = new InterleavingStore(store, ControlPlaneCertificates.CA_KEY_SECRET,
                () -> winner[0] = controlPlane(NOW).own(NAMES));

        Material loser = controlPlane(racing, NOW).own(NAMES);

        assertThat(winner[0]).isNotNull();
        assertThat(loser.caFingerprint()).isEqualTo(winner[0].caFingerprint());
        assertThat(loser.certificateChainPem()).isEqualTo(winner[0].certificateChainPem());
        assertThat(loser.source()).isEqualTo(Source.REUSED);
        assertThat(secret(ControlPlaneCertificates.CA_CERT_SECRET)).isEqualTo(winner[0].caCertificatePem());
    }

    @Test
    void aControlPlaneThatLosesTheRaceToIssueTheServerCertificateUsesTheWinners() {
        controlPlane(NOW).own(NAMES);
        Material[] winner = new Material[1];
        ResourceStore racing = new InterleavingStore(store, ControlPlaneCertificates.TLS_CERT_SECRET,
                () -> winner[0] = controlPlane(NOW).own(List.of("localhost", "cp.example.com")));

        Material loser = controlPlane(racing, NOW).own(List.of("localhost", "cp.example.com"));

        assertThat(loser.certificateChainPem()).isEqualTo(winner[0].certificateChainPem());
        assertThat(loser.source()).isEqualTo(Source.REUSED);
    }

    @Test
    void newNamesGetANewCertificateFromTheSameCaAndKey() throws Exception {
        Material first = controlPlane(NOW).own(NAMES);

        Material grown = controlPlane(NOW).own(List.of("localhost", "cp.example.com", "10.1.2.3", "fd00::1"));

        assertThat(grown.source()).isEqualTo(Source.ISSUED);
        assertThat(grown.caFingerprint()).isEqualTo(first.caFingerprint());
        assertThat(grown.caCertificatePem()).isEqualTo(first.caCertificatePem());
        assertThat(grown.privateKeyPem()).as("the same key").isEqualTo(first.privateKeyPem());
        assertThat(grown.certificateChainPem()).isNotEqualTo(first.certificateChainPem());
        assertThat(grown.subjectAltNames()).as("the old names stay")
                .containsExactly("localhost", "cp.example.com", "127.0.0.1", "::1", "10.1.2.3", "fd00::1");
        grown.certificateChain().get(0).verify(first.certificateChain().get(1).getPublicKey());
        assertThat(secret(ControlPlaneCertificates.TLS_CERT_SECRET)).isEqualTo(grown.certificateChainPem());

        Material fewer = controlPlane(NOW).own(List.of("CP.example.com"));

        assertThat(fewer.source()).isEqualTo(Source.REUSED);
        assertThat(fewer.certificateChainPem()).isEqualTo(grown.certificateChainPem());
    }

    @Test
    void aCertificateWithThirtyDaysOrLessLeftIsIssuedAgain() {
        Material first = controlPlane(NOW).own(NAMES);
        Instant expiry = first.notAfter();

        Material stillGood = controlPlane(expiry.minus(Duration.ofDays(31))).own(NAMES);
        Material renewed = controlPlane(expiry.minus(Duration.ofDays(29))).own(NAMES);

        assertThat(stillGood.source()).isEqualTo(Source.REUSED);
        assertThat(renewed.source()).isEqualTo(Source.ISSUED);
        assertThat(renewed.notAfter()).isAfter(expiry);
        assertThat(renewed.caFingerprint()).isEqualTo(first.caFingerprint());
    }

    @Test
    void aStoredCertificateThatDoesNotMatchItsKeyIsIssuedAgain() {
        Material first = controlPlane(NOW).own(NAMES);
        Material other = controlPlane(new MemoryResourceStore(), NOW).own(NAMES);
        putSecret(ControlPlaneCertificates.TLS_CERT_SECRET, other.certificateChainPem());

        Material repaired = controlPlane(NOW).own(NAMES);

        assertThat(repaired.source()).isEqualTo(Source.ISSUED);
        assertThat(repaired.caFingerprint()).isEqualTo(first.caFingerprint());
        assertThat(repaired.privateKeyPem()).isEqualTo(first.privateKeyPem());
    }

    @Test
    void aCaCertificateThatDoesNotMatchItsKeyIsAClearError() {
        controlPlane(NOW).own(NAMES);
        Material other = controlPlane(new MemoryResourceStore(), NOW).own(NAMES);
        putSecret(ControlPlaneCertificates.CA_CERT_SECRET, other.caCertificatePem());

        assertThatThrownBy(() -> controlPlane(NOW).own(NAMES))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the control plane's CA cannot be used: GlobalSecrets control-plane-ca-cert"
                        + " and control-plane-ca-key do not form a key pair")
                .hasMessageContaining("delete both GlobalSecrets");
    }

    @Test
    void refusesANameThatIsNeitherADnsNameNorAnIp() {
        assertThatThrownBy(() -> controlPlane(NOW).own(List.of("localhost", "not a name")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid subject alternative name: \"not a name\" (expected: a DNS name such as"
                        + " cp.example.com, or an IP address)");
    }

    @Test
    void certifiesTheHostsAmongItsNames() {
        Material material = controlPlane(NOW).own(List.of("localhost", "*.mesh.example", "127.0.0.1", "::1"));

        assertThat(material.certifies("LOCALHOST")).isTrue();
        assertThat(material.certifies("0:0:0:0:0:0:0:1")).isTrue();
        assertThat(material.certifies("127.0.0.1")).isTrue();
        assertThat(material.certifies("cp.mesh.example")).isTrue();
        assertThat(material.certifies("a.cp.mesh.example")).as("a wildcard is one label").isFalse();
        assertThat(material.certifies("127.0.0.2")).isFalse();
        assertThat(material.certifies("cp.example.com")).isFalse();
    }

    @Test
    void wantedNamesHoldLoopbackTheListenAddressesAndTheExtraNames() {
        List<String> names = ControlPlaneCertificates.wantedSubjectAltNames(List.of("10.9.8.7"),
                List.of("cp.example.com", "FD00:0:0::7"));

        assertThat(names).contains("localhost", "127.0.0.1", "::1", "10.9.8.7", "cp.example.com", "fd00::7");
        assertThat(ControlPlaneCertificates.wantedSubjectAltNames(List.of("0.0.0.0"), List.of()))
                .as("every address of every interface that is up").contains("127.0.0.1")
                .doesNotContain("0.0.0.0");
        assertThatThrownBy(() -> ControlPlaneCertificates.wantedSubjectAltNames(List.of(), List.of("a b")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid subject alternative name: \"a b\"");
    }

    @Test
    void suppliedFilesAreUsedAsTheyAreAndTheirLastCertificateIsTheCa(@TempDir Path dir) throws Exception {
        Material issued = controlPlane(NOW).own(List.of("cp.example.com"));
        Path cert = Files.writeString(dir.resolve("cert.pem"), issued.certificateChainPem());
        Path key = Files.writeString(dir.resolve("key.pem"), issued.privateKeyPem());

        Material supplied = ControlPlaneCertificates.supplied(cert, key);

        assertThat(supplied.source()).isEqualTo(Source.SUPPLIED);
        assertThat(supplied.certificateChainPem()).isEqualTo(issued.certificateChainPem());
        assertThat(supplied.caCertificatePem()).isEqualTo(issued.caCertificatePem());
        assertThat(supplied.caFingerprint()).isEqualTo(issued.caFingerprint());
        assertThat(supplied.subjectAltNames()).containsExactly("cp.example.com");
    }

    @Test
    void aSuppliedSelfSignedCertificateIsItsOwnCa(@TempDir Path dir) throws Exception {
        KeyPair keys = Issuer.newKey(new SecureRandom());
        X509Certificate selfSigned = Issuer.caCertificate(keys, NOW, new SecureRandom());
        Path cert = Files.writeString(dir.resolve("cert.pem"), Issuer.pem(List.of(selfSigned)));
        Path key = Files.writeString(dir.resolve("key.pem"), Issuer.pem(keys.getPrivate()));

        Material supplied = ControlPlaneCertificates.supplied(cert, key);

        assertThat(supplied.caCertificatePem()).isEqualTo(supplied.certificateChainPem());
    }

    @Test
    void refusesASuppliedKeyThatIsNotTheCertificates(@TempDir Path dir) throws Exception {
        Material issued = controlPlane(NOW).own(NAMES);
        Path cert = Files.writeString(dir.resolve("cert.pem"), issued.certificateChainPem());
        Path key = Files.writeString(dir.resolve("other-key.pem"),
                Issuer.pem(Issuer.newKey(new SecureRandom()).getPrivate()));

        assertThatThrownBy(() -> ControlPlaneCertificates.supplied(cert, key))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the TLS certificate file " + cert + " and key file " + key
                        + " cannot be used: tls: private key does not match public key");
    }

    @Test
    void refusesSwappedOrMissingFilesNamingThem(@TempDir Path dir) throws Exception {
        Material issued = controlPlane(NOW).own(NAMES);
        Path cert = Files.writeString(dir.resolve("cert.pem"), issued.certificateChainPem());
        Path key = Files.writeString(dir.resolve("key.pem"), issued.privateKeyPem());

        assertThatThrownBy(() -> ControlPlaneCertificates.supplied(key, cert))
                .hasMessageContaining("the TLS certificate file " + key)
                .hasMessageContaining("PEM inputs may have been switched");
        assertThatThrownBy(() -> ControlPlaneCertificates.supplied(dir.resolve("nope.pem"), key))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot read the TLS certificate file " + dir.resolve("nope.pem") + ": no such file");
        assertThatThrownBy(() -> ControlPlaneCertificates.supplied(cert, dir.resolve("nokey.pem")))
                .hasMessage("cannot read the TLS private key file " + dir.resolve("nokey.pem") + ": no such file");
    }

    private String secret(String name) {
        return new String(store.get(ResourceTypes.GLOBAL_SECRET, "", name).orElseThrow().spec().bytes(),
                StandardCharsets.US_ASCII);
    }

    private void putSecret(String name, String pem) {
        ResourceManager.create(store, Clock.systemUTC(), CaPlugins.standard()).upsert(ResourceTypes.GLOBAL_SECRET,
                "", name, SecretSpec.of(pem.getBytes(StandardCharsets.US_ASCII)), OptionalLong.empty());
    }

    /** A store that runs {@code interleaved} once, just before the first write of the secret {@code name}. */
    private static final class InterleavingStore implements ResourceStore {
        private final ResourceStore delegate;
        private final String name;
        private Runnable interleaved;

        InterleavingStore(ResourceStore delegate, String name, Runnable interleaved) {
            this.delegate = delegate;
            this.name = name;
            this.interleaved = interleaved;
        }

        @Override
        public <S extends Spec> Resource<S> create(Resource<S> resource) {
            interleave(resource);
            return delegate.create(resource);
        }

        @Override
        public <S extends Spec> Resource<S> update(Resource<S> resource) {
            interleave(resource);
            return delegate.update(resource);
        }

        private void interleave(Resource<?> resource) {
            if (interleaved != null && resource.name().equals(name)) {
                Runnable other = interleaved;
                interleaved = null;
                other.run();
            }
        }

        @Override
        public void delete(ResourceKey key) {
            delegate.delete(key);
        }

        @Override
        public <S extends Spec> Optional<Resource<S>> get(ResourceType<S> type, String mesh, String name) {
            return delegate.get(type, mesh, name);
        }

        @Override
        public <S extends Spec> ResourcePage<S> list(ResourceType<S> type, ListQuery query) {
            return delegate.list(type, query);
        }

        @Override
        public long count(ResourceType<?> type, String mesh) {
            return delegate.count(type, mesh);
        }

        @Override
        public <T> T snapshot(java.util.function.Function<io.ursa.core.store.ResourceReader, T> reads) {
            return delegate.snapshot(reads);
        }

        @Override
        public AutoCloseable subscribe(ChangeListener listener) {
            return delegate.subscribe(listener);
        }

        @Override
        public String describe() {
            return delegate.describe();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
