package io.ursa.ca.controlplane;

import static io.ursa.ca.controlplane.ControlPlaneCertificates.CA_CERT_SECRET;
import static io.ursa.ca.controlplane.ControlPlaneCertificates.CA_KEY_SECRET;
import static io.ursa.ca.controlplane.ControlPlaneCertificates.TLS_CERT_SECRET;
import static io.ursa.ca.controlplane.ControlPlaneCertificates.TLS_KEY_SECRET;
import static java.util.Objects.requireNonNull;

import io.ursa.ca.TlsKeyPair;
import io.ursa.ca.controlplane.ControlPlaneCertificates.Material;
import io.ursa.ca.controlplane.ControlPlaneCertificates.Source;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane's own CA and server certificate in its GlobalSecrets: one pass that reads them, creates what
 * is missing (the CA once, never replaced) and issues the server certificate again when the stored one does not
 * cover the wanted names, is within 30 days of its expiry, does not match its key or was not signed by the CA. A
 * write that loses to another control plane throws the store's {@code AlreadyExistsException} or
 * {@code ConflictException}; {@link ControlPlaneCertificates#own} then runs the pass again. Thread-safe: no state
 * beyond the store's.
 */
final class StoredCertificates {
    /** A stored server certificate closer to its expiry than this is issued again. */
    static final Duration RENEW_BEFORE = Duration.ofDays(30);
    private static final Logger log = LoggerFactory.getLogger(StoredCertificates.class);

    private final GlobalSecrets secrets;
    private final Clock clock;
    private final SecureRandom random;

    StoredCertificates(GlobalSecrets secrets, Clock clock, SecureRandom random) {
        this.secrets = requireNonNull(secrets, "secrets");
        this.clock = requireNonNull(clock, "clock");
        this.random = requireNonNull(random, "random");
    }

    /** The material for {@code wanted}, after creating or issuing what is missing. */
    Material ensure(SubjectAltNames wanted) {
        return ensureServerCertificate(ensureCa(), wanted);
    }

    /** The stored CA; {@code created} when this call created it. */
    private record StoredCa(X509Certificate certificate, PrivateKey key, boolean created) {
    }

    private StoredCa ensureCa() {
        Optional<GlobalSecrets.Stored> storedKey = secrets.read(CA_KEY_SECRET);
        KeyPair key;
        String keyPem;
        if (storedKey.isEmpty()) {
            // The key first: a CA certificate is only ever stored with its key in place.
            key = Issuer.newKey(random);
            keyPem = Issuer.pem(key.getPrivate());
            secrets.create(CA_KEY_SECRET, keyPem);
        } else {
            keyPem = storedKey.get().text();
            key = Issuer.keyPairOf(privateKey(keyPem).orElseThrow(() -> unusableCa(
                    "GlobalSecret " + CA_KEY_SECRET + " holds no PEM private key")));
        }
        Optional<GlobalSecrets.Stored> storedCert = secrets.read(CA_CERT_SECRET);
        if (storedCert.isEmpty()) {
            X509Certificate certificate = Issuer.caCertificate(key, clock.instant(), random);
            secrets.create(CA_CERT_SECRET, Issuer.pem(List.of(certificate)));
            log.info("created the control plane's CA (ECDSA P-256, valid until {}, GlobalSecrets {} and {})",
                    certificate.getNotAfter().toInstant(), CA_CERT_SECRET, CA_KEY_SECRET);
            return new StoredCa(certificate, key.getPrivate(), true);
        }
        try {
            TlsKeyPair pair = TlsKeyPair.parse(storedCert.get().text().getBytes(StandardCharsets.US_ASCII),
                    keyPem.getBytes(StandardCharsets.US_ASCII));
            X509Certificate certificate = TlsKeyPair.parseCertificate(pair.chain().get(0));
            if (certificate.getBasicConstraints() < 0) {
                throw unusableCa("GlobalSecret " + CA_CERT_SECRET + " is not a CA certificate");
            }
            return new StoredCa(certificate, key.getPrivate(), false);
        } catch (TlsKeyPair.KeyPairException | CertificateException e) {
            throw unusableCa("GlobalSecrets " + CA_CERT_SECRET + " and " + CA_KEY_SECRET + " do not form a key"
                    + " pair: " + e.getMessage());
        }
    }

    private static IllegalStateException unusableCa(String why) {
        return new IllegalStateException("the control plane's CA cannot be used: " + why + " (expected: the CA"
                + " certificate and its key as the control plane stored them; delete both GlobalSecrets "
                + CA_CERT_SECRET + " and " + CA_KEY_SECRET + " to have a new CA created, then give proxies the new"
                + " CA)");
    }

    private Material ensureServerCertificate(StoredCa ca, SubjectAltNames wanted) {
        Optional<GlobalSecrets.Stored> storedKey = secrets.read(TLS_KEY_SECRET);
        Optional<PrivateKey> parsedKey = storedKey.flatMap(stored -> privateKey(stored.text()))
                .filter(key -> key.getAlgorithm().equals("EC"));
        KeyPair key;
        if (parsedKey.isPresent()) {
            key = Issuer.keyPairOf(parsedKey.get());
        } else {
            key = Issuer.newKey(random);
            String pem = Issuer.pem(key.getPrivate());
            if (storedKey.isPresent()) {
                log.warn("GlobalSecret {} holds no EC private key; replacing it with a new one", TLS_KEY_SECRET);
                secrets.replace(storedKey.get(), pem);
            } else {
                secrets.create(TLS_KEY_SECRET, pem);
            }
        }
        Optional<GlobalSecrets.Stored> storedCert = secrets.read(TLS_CERT_SECRET);
        Optional<X509Certificate> current = storedCert.flatMap(cert -> leafOf(cert, key));
        Optional<String> reason = current.isEmpty()
                ? Optional.of(storedCert.isEmpty() ? "none is stored" : "the stored one does not match its key")
                : reissueReason(current.get(), ca, wanted);
        if (reason.isEmpty()) {
            return Material.of(List.of(current.get(), ca.certificate()), key.getPrivate(),
                    ca.created() ? Source.CREATED : Source.REUSED);
        }
        SubjectAltNames names = current.map(old -> union(SubjectAltNames.of(old), wanted)).orElse(wanted);
        X509Certificate leaf = Issuer.serverCertificate(key.getPublic(), ca.certificate(), ca.key(), names,
                clock.instant(), random);
        String chain = Issuer.pem(List.of(leaf, ca.certificate()));
        if (storedCert.isPresent()) {
            secrets.replace(storedCert.get(), chain);
        } else {
            secrets.create(TLS_CERT_SECRET, chain);
        }
        log.info("issued the control plane's server certificate ({}) for {}, valid until {}", reason.get(), names,
                leaf.getNotAfter().toInstant());
        return Material.of(List.of(leaf, ca.certificate()), key.getPrivate(),
                ca.created() ? Source.CREATED : Source.ISSUED);
    }

    /** Why a stored server certificate that matches its key is not good enough; empty when it is. */
    private Optional<String> reissueReason(X509Certificate leaf, StoredCa ca, SubjectAltNames wanted) {
        try {
            leaf.verify(ca.certificate().getPublicKey());
        } catch (GeneralSecurityException e) {
            return Optional.of("the stored one is not signed by the control plane's CA");
        }
        SubjectAltNames missing = SubjectAltNames.of(leaf).missing(wanted);
        if (!missing.isEmpty()) {
            return Optional.of("it lacks " + missing);
        }
        Instant notAfter = leaf.getNotAfter().toInstant();
        if (notAfter.isBefore(clock.instant().plus(RENEW_BEFORE))) {
            return Optional.of("the stored one expires on " + notAfter);
        }
        return Optional.empty();
    }

    /**
     * The names of both: a certificate issued again keeps the names of the one it replaces, so control planes
     * that share a store and want different names do not take turns replacing each other's certificate.
     */
    private static SubjectAltNames union(SubjectAltNames old, SubjectAltNames wanted) {
        List<String> names = new ArrayList<>(old.all());
        names.addAll(wanted.all());
        return SubjectAltNames.parse(names);
    }

    /** The stored chain's leaf, when the chain parses and belongs to {@code key}. */
    private static Optional<X509Certificate> leafOf(GlobalSecrets.Stored cert, KeyPair key) {
        try {
            TlsKeyPair pair = TlsKeyPair.parse(cert.text().getBytes(StandardCharsets.US_ASCII),
                    Issuer.pem(key.getPrivate()).getBytes(StandardCharsets.US_ASCII));
            return Optional.of(TlsKeyPair.parseCertificate(pair.chain().get(0)));
        } catch (TlsKeyPair.KeyPairException | CertificateException e) {
            return Optional.empty();
        }
    }

    /** The private key of a PEM secret (PKCS#8 as stored, or SEC1 / PKCS#1); empty when it holds none. */
    private static Optional<PrivateKey> privateKey(String pem) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (object instanceof PrivateKeyInfo info) {
                return Optional.of(converter.getPrivateKey(info));
            }
            if (object instanceof PEMKeyPair pair) {
                return Optional.of(converter.getKeyPair(pair).getPrivate());
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
