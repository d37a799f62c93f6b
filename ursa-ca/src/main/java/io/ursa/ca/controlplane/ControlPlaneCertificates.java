package io.ursa.ca.controlplane;

import static java.util.Objects.requireNonNull;

import io.ursa.ca.MeshCertificateAuthorities;
import io.ursa.ca.TlsKeyPair;
import io.ursa.core.manager.ResourceManager;
import io.ursa.core.store.AlreadyExistsException;
import io.ursa.core.store.ConflictException;
import io.ursa.core.store.NotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane's own TLS material, for the DP server and the HTTPS API: its CA and its server certificate,
 * kept durably as GlobalSecrets so that a restart (or another control plane on the same store) serves the same
 * CA, or a certificate and key the user supplies as PEM files.
 *
 * <p>The CA ({@code control-plane-ca-cert}, {@code control-plane-ca-key}) is created once, when absent, and never
 * replaced. The server certificate ({@code control-plane-tls-cert}: leaf then CA; {@code control-plane-tls-key})
 * is reused when its subject alternative names cover the wanted ones and it is valid for 30 more days; otherwise
 * it is issued again from the same CA and for the same key, so proxies that trust the CA keep trusting it
 * ({@link StoredCertificates}). Every write is a create or a versioned replace: when another control plane wrote
 * first, the secrets are read again and its material is used (see {@link GlobalSecrets}). Certificates are made by
 * {@link Issuer}.
 *
 * <p>Thread-safe: each call reads and writes the store on its own.
 */
public final class ControlPlaneCertificates {
    public static final String CA_CERT_SECRET = "control-plane-ca-cert";
    public static final String CA_KEY_SECRET = "control-plane-ca-key";
    public static final String TLS_CERT_SECRET = "control-plane-tls-cert";
    public static final String TLS_KEY_SECRET = "control-plane-tls-key";
    /** How often {@link #own} starts over after another control plane wrote first. */
    private static final int ATTEMPTS = 5;
    private static final Logger log = LoggerFactory.getLogger(ControlPlaneCertificates.class);

    /** Where the material came from. */
    public enum Source {
        /** A new CA and a new server certificate were created and stored. */
        CREATED("created a new CA and server certificate (GlobalSecrets " + CA_CERT_SECRET + ", " + TLS_CERT_SECRET
                + ")"),
        /** The stored CA issued a new server certificate (new names, near its expiry, or none stored). */
        ISSUED("issued a new server certificate from the stored CA (GlobalSecret " + TLS_CERT_SECRET + ")"),
        /** The stored server certificate was still good. */
        REUSED("the stored certificate (GlobalSecret " + TLS_CERT_SECRET + ")"),
        /** Files the user supplied. */
        SUPPLIED("supplied files");

        private final String description;

        Source(String description) {
            this.description = description;
        }

        /** Where the material came from, for a log line. */
        public String description() {
            return description;
        }
    }

    /**
     * A server's TLS material. {@link #toString()} never shows the key.
     *
     * @param certificateChainPem the server certificate, then the certificates that sign it (PEM)
     * @param privateKeyPem       the server certificate's key (PEM, PKCS#8)
     * @param caCertificatePem    the CA certificate clients should trust (PEM): the control plane's own CA, or the
     *                            last certificate of a supplied chain
     * @param caFingerprint       SHA-256 of the CA certificate as {@code openssl x509 -fingerprint -sha256} prints
     *                            it ({@code AB:CD:...})
     * @param subjectAltNames     the server certificate's DNS names, then its IP addresses
     * @param notAfter            when the server certificate expires
     * @param source              where the material came from
     */
    public record Material(String certificateChainPem, String privateKeyPem, String caCertificatePem,
                           String caFingerprint, List<String> subjectAltNames, Instant notAfter, Source source) {
        public Material {
            requireNonNull(certificateChainPem, "certificateChainPem");
            requireNonNull(privateKeyPem, "privateKeyPem");
            requireNonNull(caCertificatePem, "caCertificatePem");
            requireNonNull(caFingerprint, "caFingerprint");
            subjectAltNames = List.copyOf(subjectAltNames);
            requireNonNull(notAfter, "notAfter");
            requireNonNull(source, "source");
        }

        /** Material made of {@code chain} (leaf first) and its key; the CA is the chain's last certificate. */
        static Material of(List<X509Certificate> chain, PrivateKey key, Source source) {
            X509Certificate leaf = chain.get(0);
            X509Certificate ca = chain.get(chain.size() - 1);
            try {
                return new Material(Issuer.pem(chain), Issuer.pem(key), Issuer.pem(List.of(ca)),
                        MeshCertificateAuthorities.fingerprint(ca.getEncoded()), SubjectAltNames.of(leaf).all(),
                        leaf.getNotAfter().toInstant(), source);
            } catch (java.security.cert.CertificateEncodingException e) {
                throw new IllegalStateException("cannot encode a certificate", e);
            }
        }

        /** The chain as certificates, leaf first. */
        public List<X509Certificate> certificateChain() {
            return parse().chain;
        }

        /** The server certificate's private key. */
        public PrivateKey privateKey() {
            return parse().key;
        }

        /**
         * Whether a client that dials {@code host} (a DNS name or an IP literal, without port or brackets) accepts
         * the server certificate: the host is among its subject alternative names (a wildcard name counts for one
         * label).
         */
        public boolean certifies(String host) {
            return SubjectAltNames.lenient(subjectAltNames).certifies(requireNonNull(host, "host"));
        }

        private Parsed parse() {
            try {
                TlsKeyPair pair = TlsKeyPair.parse(certificateChainPem.getBytes(StandardCharsets.US_ASCII),
                        privateKeyPem.getBytes(StandardCharsets.US_ASCII));
                List<X509Certificate> chain = new ArrayList<>();
                for (byte[] der : pair.chain()) {
                    chain.add(TlsKeyPair.parseCertificate(der));
                }
                return new Parsed(List.copyOf(chain), pair.key());
            } catch (TlsKeyPair.KeyPairException | CertificateException e) {
                throw new IllegalStateException("the TLS material does not parse: " + e.getMessage(), e);
            }
        }

        private record Parsed(List<X509Certificate> chain, PrivateKey key) {
        }

        @Override
        public String toString() {
            return "Material[source=" + source + ", caFingerprint=" + caFingerprint + ", subjectAltNames="
                    + subjectAltNames + ", notAfter=" + notAfter + ", privateKeyPem=***]";
        }
    }

    private final StoredCertificates stored;

    public ControlPlaneCertificates(ResourceManager manager, Clock clock, SecureRandom random) {
        this.stored = new StoredCertificates(new GlobalSecrets(requireNonNull(manager, "manager")),
                requireNonNull(clock, "clock"), requireNonNull(random, "random"));
    }

    /**
     * The names the control plane's own certificate is for: the host name, {@code localhost}, {@code 127.0.0.1},
     * {@code ::1}, each address the control plane listens on (for {@code 0.0.0.0} or {@code ::}, every address of
     * every interface that is up), then {@code extra} ({@code general.tlsSubjectAltNames}).
     *
     * @throws IllegalArgumentException when a listen address or an extra name is neither an IP nor a DNS name
     */
    public static List<String> wantedSubjectAltNames(Collection<String> listenAddresses, Collection<String> extra) {
        return SubjectAltNames.wanted(requireNonNull(listenAddresses, "listenAddresses"),
                requireNonNull(extra, "extra")).all();
    }

    /**
     * The control plane's own material for {@code subjectAltNames}: the stored CA (created when absent) and a
     * server certificate that covers them (the stored one, or a new one stored in its place).
     *
     * @throws IllegalArgumentException when a name is neither an IP nor a DNS name
     * @throws IllegalStateException    when the stored CA is unusable (its certificate and key do not match)
     */
    public Material own(Collection<String> subjectAltNames) {
        SubjectAltNames wanted = SubjectAltNames.parse(requireNonNull(subjectAltNames, "subjectAltNames"));
        for (int attempt = 1; ; attempt++) {
            try {
                return stored.ensure(wanted);
            } catch (AlreadyExistsException | ConflictException | NotFoundException e) {
                // Another control plane on the same store wrote first: read what it wrote.
                if (attempt == ATTEMPTS) {
                    throw new IllegalStateException("the control plane's certificates kept changing in the store"
                            + " while this control plane started (" + e.getMessage() + ")", e);
                }
                log.debug("another control plane wrote its certificates first; reading them again", e);
            }
        }
    }

    /**
     * A certificate (PEM chain, leaf first) and its key (PEM: PKCS#8, PKCS#1 RSA or SEC1 EC) that the user
     * supplies. The CA clients should trust is the chain's last certificate.
     *
     * @throws IllegalArgumentException when a file cannot be read, or the two do not form a key pair; the
     *                                  message names the files
     */
    public static Material supplied(Path certificateFile, Path keyFile) {
        requireNonNull(certificateFile, "certificateFile");
        requireNonNull(keyFile, "keyFile");
        byte[] certificate = read(certificateFile, "certificate");
        byte[] key = read(keyFile, "private key");
        try {
            TlsKeyPair pair = TlsKeyPair.parse(certificate, key);
            List<X509Certificate> chain = new ArrayList<>();
            for (byte[] der : pair.chain()) {
                chain.add(TlsKeyPair.parseCertificate(der));
            }
            return Material.of(chain, pair.key(), Source.SUPPLIED);
        } catch (TlsKeyPair.KeyPairException | CertificateException e) {
            throw new IllegalArgumentException("the TLS certificate file " + certificateFile + " and key file "
                    + keyFile + " cannot be used: " + e.getMessage() + " (expected: a PEM certificate chain, server"
                    + " certificate first, and the PEM private key of that certificate)", e);
        }
    }

    private static byte[] read(Path file, String what) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("cannot read the TLS " + what + " file " + file + ": no such file", e);
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException("cannot read the TLS " + what + " file " + file
                    + ": permission denied", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the TLS " + what + " file " + file + ": " + e, e);
        }
    }
}
