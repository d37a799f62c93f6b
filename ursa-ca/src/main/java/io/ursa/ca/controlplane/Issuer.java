package io.ursa.ca.controlplane;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.jcajce.provider.asymmetric.util.ECUtil;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes the control plane's own certificates, all ECDSA P-256 signed with SHA-256: the CA (self-signed, subject
 * {@code CN=Ursa Control Plane CA}, basic constraints {@code CA:true}, key usage keyCertSign and cRLSign) and the
 * server certificate (subject {@code CN=Ursa Control Plane}, the DNS and IP SANs asked for, key usage
 * digitalSignature, extended key usage serverAuth, not a CA). Both start 10 s before now (clock skew) and have
 * random 128-bit serials. Keys are written as PKCS#8 ({@code PRIVATE KEY}). Stateless.
 */
final class Issuer {
    /** How long the CA and the server certificate are valid: 10 years. */
    static final Duration VALIDITY = Duration.ofDays(10 * 365);
    static final String CA_COMMON_NAME = "Ursa Control Plane CA";
    static final String SERVER_COMMON_NAME = "Ursa Control Plane";
    private static final Duration CLOCK_SKEW = Duration.ofSeconds(10);
    private static final String SIGNATURE = "SHA256withECDSA";

    private Issuer() {
    }

    static KeyPair newKey(SecureRandom random) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ECDSA P-256 is not available", e);
        }
    }

    /**
     * The key pair of an EC private key: the public point is the curve's generator times the private scalar.
     *
     * @throws IllegalArgumentException when the key is not an EC key
     */
    static KeyPair keyPairOf(PrivateKey key) {
        if (!(key instanceof ECPrivateKey ec)) {
            throw new IllegalArgumentException("invalid key algorithm: " + key.getAlgorithm() + " (expected: EC)");
        }
        try {
            ECPrivateKeyParameters params = (ECPrivateKeyParameters) ECUtil.generatePrivateKeyParameter(ec);
            var q = params.getParameters().getG().multiply(params.getD()).normalize();
            var point = new java.security.spec.ECPoint(q.getAffineXCoord().toBigInteger(),
                    q.getAffineYCoord().toBigInteger());
            PublicKey publicKey = KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point,
                    ec.getParams()));
            return new KeyPair(publicKey, key);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot derive the public key of an EC key: " + e.getMessage(), e);
        }
    }

    static X509Certificate caCertificate(KeyPair keys, Instant now, SecureRandom random) {
        X500Name subject = name(CA_COMMON_NAME);
        Instant start = now.truncatedTo(ChronoUnit.SECONDS);
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(random),
                    Date.from(start.minus(CLOCK_SKEW)), Date.from(start.plus(VALIDITY)), subject, keys.getPublic());
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    extensions.createSubjectKeyIdentifier(keys.getPublic()));
            return sign(builder, keys.getPrivate());
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot create the control plane's CA", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static X509Certificate serverCertificate(PublicKey key, X509Certificate ca, PrivateKey caKey,
                                             SubjectAltNames sans, Instant now, SecureRandom random) {
        Instant start = now.truncatedTo(ChronoUnit.SECONDS);
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca, serial(random),
                    Date.from(start.minus(CLOCK_SKEW)), Date.from(start.plus(VALIDITY)), name(SERVER_COMMON_NAME),
                    key);
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.generalNames()));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    extensions.createAuthorityKeyIdentifier(ca));
            builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(key));
            return sign(builder, caKey);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot issue the control plane's server certificate", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** PEM {@code CERTIFICATE} blocks, in order. */
    static String pem(List<X509Certificate> certificates) {
        return write(certificates.toArray());
    }

    /** PEM {@code PRIVATE KEY} (PKCS#8). */
    static String pem(PrivateKey key) {
        try {
            return write(new JcaPKCS8Generator(key, null));
        } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
            throw new IllegalStateException("cannot encode a private key", e);
        }
    }

    private static String write(Object... objects) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (Object object : objects) {
                writer.writeObject(object);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder(SIGNATURE).build(key)));
    }

    private static X500Name name(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
    }

    /** A random serial in [1, 2^128 − 1]. */
    private static BigInteger serial(SecureRandom random) {
        BigInteger serial;
        do {
            serial = new BigInteger(128, random);
        } while (serial.signum() == 0);
        return serial;
    }
}
