package io.ursa.ca;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Issues a data-plane proxy's identity certificate from its mesh's CA (mesh-spec §13.2), for builtin and provided
 * CAs alike: an empty subject, URI SANs {@code spiffe://<mesh>/<service>} for each {@code kuma.io/service} then
 * {@code kuma://<tag>/<value>} for every tag (both sorted; the SAN extension is critical because the subject is
 * empty), a random 128-bit serial, valid from 10 s before now for the rotation lifetime, key usage
 * digitalSignature, keyEncipherment and keyAgreement, extended key usage serverAuth and clientAuth.
 *
 * <p>Unlike Kuma, which always uses RSA 2048, the proxy's key is ECDSA P-256 unless RSA is asked for: far cheaper to
 * generate, and accepted by Envoy and grpc-java. The key is written as PKCS#8 ({@code PRIVATE KEY}), the form
 * grpc's {@code file_watcher} provider reads.
 *
 * <p>Cost: turning mTLS on for a mesh issues a certificate per proxy at once, so issuance is on that path. The
 * proxy's key is either given (generated ahead by a {@link ProxyKeyPool}) or made on the spot by a
 * {@link ProxyKeyGenerator}; each CA's subject, key and key identifier are parsed once and remembered (a few CAs at
 * most: a mesh has one in use). The RSA root's signature stays with the JDK's provider, which signs with the CRT
 * form of the key and is faster here than BouncyCastle's. Thread-safe.
 */
public final class DataplaneCertificateIssuer {
    static final Duration CLOCK_SKEW = Duration.ofSeconds(10);
    private static final String SERVICE_TAG = "kuma.io/service";

    /** The proxy's key algorithm. */
    public enum KeyType {
        ECDSA_P256,
        RSA_2048
    }

    /** A proxy certificate (PEM) and its private key (PEM, PKCS#8), with its validity. */
    public record Issued(String certificatePem, String privateKeyPem, Instant notBefore, Instant notAfter) {
        public Issued {
            requireNonNull(certificatePem, "certificatePem");
            requireNonNull(privateKeyPem, "privateKeyPem");
            requireNonNull(notBefore, "notBefore");
            requireNonNull(notAfter, "notAfter");
        }
    }

    /** How many parsed CAs are remembered; past this, the memory starts again. */
    private static final int PARSED_CAS = 32;

    private final Clock clock;
    private final SecureRandom random;
    private final ProxyKeyGenerator keys;
    private final Map<CaPems, ParsedCa> parsed = new ConcurrentHashMap<>();
    /** The validity of the certificates last issued; those issued in the same second share it. */
    private volatile Validity lastValidity;

    /**
     * A certificate's validity, with its two times encoded as X.509 times once: encoding a date builds a date
     * formatter, and a mesh turning mTLS on issues hundreds of certificates within one second.
     */
    private record Validity(Instant notBefore, Instant notAfter, Time notBeforeTime, Time notAfterTime) {
    }

    /** A CA's certificate and key as given (PEM), compared by content. */
    private record CaPems(ByteBuffer certificate, ByteBuffer key) {
        static CaPems of(byte[] certificate, byte[] key) {
            return new CaPems(ByteBuffer.wrap(certificate.clone()), ByteBuffer.wrap(key.clone()));
        }
    }

    /**
     * A CA ready to sign: its subject (the issuer of its certificates), key, and the authority key identifier its
     * certificates carry.
     */
    private record ParsedCa(X500Name subject, PrivateKey key, Extension authorityKeyIdentifier) {
    }

    public DataplaneCertificateIssuer(Clock clock, SecureRandom random) {
        this.clock = requireNonNull(clock, "clock");
        this.random = requireNonNull(random, "random");
        this.keys = new ProxyKeyGenerator(random);
    }

    /**
     * Issues a certificate for a proxy of {@code mesh} with {@code tags} (every value it has for each tag).
     *
     * @param caCertPem the CA certificate (first PEM block), as the mesh's CA backend stores it
     * @param caKeyPem  the CA's private key (PKCS#1, PKCS#8 or SEC1)
     * @throws IllegalArgumentException when the CA does not parse, or the proxy has no {@code kuma.io/service}
     */
    public Issued issue(byte[] caCertPem, byte[] caKeyPem, String mesh, Map<String, ? extends Set<String>> tags,
                        Duration lifetime, KeyType keyType) {
        requireNonNull(keyType, "keyType");
        // the SANs are checked before a key is made for them
        sans(requireNonNull(mesh, "mesh"), requireNonNull(tags, "tags"));
        return issue(caCertPem, caKeyPem, mesh, tags, lifetime, keys.generate(keyType));
    }

    /**
     * Issues a certificate for a proxy of {@code mesh} with {@code tags} for {@code key}, a key made for this one
     * certificate (by a {@link ProxyKeyGenerator}, now or ahead): it must not have been and must not be given to
     * anyone else.
     *
     * @throws IllegalArgumentException when the CA does not parse, or the proxy has no {@code kuma.io/service}
     */
    public Issued issue(byte[] caCertPem, byte[] caKeyPem, String mesh, Map<String, ? extends Set<String>> tags,
                        Duration lifetime, ProxyKeyGenerator.PreparedKey key) {
        requireNonNull(mesh, "mesh");
        requireNonNull(tags, "tags");
        requireNonNull(lifetime, "lifetime");
        requireNonNull(key, "key");
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("invalid lifetime: " + lifetime + " (expected: > 0)");
        }
        ParsedCa ca = parsed(requireNonNull(caCertPem, "caCertPem"), requireNonNull(caKeyPem, "caKeyPem"), mesh);
        PrivateKey caKey = ca.key();
        List<String> sans = sans(mesh, tags);
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS); // X.509 times have whole seconds
        Instant notBefore = now.minus(CLOCK_SKEW);
        Instant notAfter = CertificateTimes.notAfter(now, lifetime);
        try {
            Validity validity = validity(notBefore, notAfter);
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(ca.subject(), serial(),
                    validity.notBeforeTime(), validity.notAfterTime(), new X500Name(new RDN[0]),
                    SubjectPublicKeyInfo.getInstance(key.subjectPublicKeyInfo()));
            GeneralName[] names = sans.stream()
                    .map(uri -> new GeneralName(GeneralName.uniformResourceIdentifier, uri))
                    .toArray(GeneralName[]::new);
            builder.addExtension(Extension.subjectAlternativeName, true, new GeneralNames(names));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(
                    KeyUsage.digitalSignature | KeyUsage.keyEncipherment | KeyUsage.keyAgreement));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                    new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            builder.addExtension(ca.authorityKeyIdentifier());
            String algorithm = caKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            X509CertificateHolder certificate = builder.build(new JcaContentSignerBuilder(algorithm).build(caKey));
            return new Issued(pem(certificate), key.privateKeyPem(), notBefore, notAfter);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot issue a certificate in mesh " + mesh, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The validity from {@code notBefore} to {@code notAfter}, encoded once per second of issuing. */
    private Validity validity(Instant notBefore, Instant notAfter) {
        Validity last = lastValidity;
        if (last != null && last.notBefore().equals(notBefore) && last.notAfter().equals(notAfter)) {
            return last;
        }
        Validity validity = new Validity(notBefore, notAfter, new Time(Date.from(notBefore)),
                new Time(Date.from(notAfter)));
        lastValidity = validity;
        return validity;
    }

    /** The CA of these PEMs, parsed once. */
    private ParsedCa parsed(byte[] caCertPem, byte[] caKeyPem, String mesh) {
        CaPems pems = new CaPems(ByteBuffer.wrap(caCertPem), ByteBuffer.wrap(caKeyPem));
        ParsedCa known = parsed.get(pems);
        if (known != null) {
            return known;
        }
        ParsedCa ca;
        try {
            TlsKeyPair pair = TlsKeyPair.parse(caCertPem, caKeyPem);
            X509Certificate certificate = TlsKeyPair.parseCertificate(pair.chain().get(0));
            ca = new ParsedCa(X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()), pair.key(),
                    new Extension(Extension.authorityKeyIdentifier, false,
                            new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(certificate).getEncoded()));
        } catch (TlsKeyPair.KeyPairException | CertificateException e) {
            throw new IllegalArgumentException("the CA of mesh " + mesh + " cannot sign: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the CA of mesh " + mesh, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (parsed.size() >= PARSED_CAS) {
            parsed.clear();
        }
        parsed.put(CaPems.of(caCertPem, caKeyPem), ca);
        return ca;
    }

    /** The URI SANs in Kuma's order. */
    static List<String> sans(String mesh, Map<String, ? extends Set<String>> tags) {
        SortedMap<String, SortedSet<String>> sorted = new TreeMap<>();
        tags.forEach((tag, values) -> sorted.put(tag, new TreeSet<>(values)));
        SortedSet<String> services = sorted.getOrDefault(SERVICE_TAG, new TreeSet<>());
        if (services.isEmpty()) {
            throw new IllegalArgumentException("a proxy certificate needs a " + SERVICE_TAG + " tag (expected: the"
                    + " services of the proxy's inbounds or gateway)");
        }
        List<String> sans = new ArrayList<>();
        services.forEach(service -> sans.add("spiffe://" + mesh + "/" + service));
        sorted.forEach((tag, values) -> values.forEach(value -> sans.add("kuma://" + tag + "/" + value)));
        return sans;
    }

    /** A random serial in [1, 2^128 − 1]. */
    private BigInteger serial() {
        BigInteger serial;
        do {
            serial = new BigInteger(128, random);
        } while (serial.signum() == 0);
        return serial;
    }

    private static String pem(Object object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        }
        return text.toString();
    }
}
