package io.ursa.ca;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/** Real certificates and keys for CA tests, made with BouncyCastle; validity is fixed (2020-2040). */
final class TestCertificates {
    private static final Date NOT_BEFORE = Date.from(Instant.parse("2020-01-01T00:00:00Z"));
    private static final Date NOT_AFTER = Date.from(Instant.parse("2040-01-01T00:00:00Z"));

    private TestCertificates() {
    }

    static KeyPair rsaKeys() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    static KeyPair ecKeys() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    /** A self-signed certificate for {@code keys}; {@code keyUsage} 0 leaves the extension out. */
    static X509Certificate selfSigned(KeyPair keys, String commonName, boolean ca, int keyUsage) throws Exception {
        X500Name name = new X500Name("O=Ursa, CN=" + commonName);
        return sign(name, keys.getPublic(), name, keys.getPrivate(), ca, keyUsage);
    }

    /** A certificate for {@code subjectKeys} signed by {@code issuer}. */
    static X509Certificate issued(X509Certificate issuer, PrivateKey issuerKey, KeyPair subjectKeys, String commonName,
                                  boolean ca, int keyUsage) throws Exception {
        return sign(X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded()), subjectKeys.getPublic(),
                new X500Name("O=Ursa, CN=" + commonName), issuerKey, ca, keyUsage);
    }

    private static X509Certificate sign(X500Name issuer, java.security.PublicKey subjectKey, X500Name subject,
                                        PrivateKey signingKey, boolean ca, int keyUsage)
            throws IOException, OperatorCreationException, GeneralSecurityException {
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, BigInteger.ONE, NOT_BEFORE,
                NOT_AFTER, subject, subjectKey);
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (keyUsage != 0) {
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
        }
        String algorithm = signingKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(signingKey)));
    }

    /**
     * PEM of certificates, or of an RSA key in PKCS#1 form ({@code RSA PRIVATE KEY}). (BouncyCastle writes EC keys
     * from the JDK as SEC1 without their curve, which Go and Ursa reject; use {@link #sec1Pem}.)
     */
    static String pem(Object... objects) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            for (Object o : objects) {
                writer.writeObject(o);
            }
        }
        return out.toString();
    }

    /** PEM of an EC key in SEC1 form ({@code EC PRIVATE KEY}) with its named curve, as OpenSSL writes it. */
    static String sec1Pem(KeyPair keys) throws IOException {
        SubjectPublicKeyInfo publicKey = SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
        ECPrivateKey sec1 = new ECPrivateKey(256, ((java.security.interfaces.ECPrivateKey) keys.getPrivate()).getS(),
                publicKey.getPublicKeyData(), publicKey.getAlgorithm().getParameters());
        return pem(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
    }

    /** PEM of a key in PKCS#8 form ({@code PRIVATE KEY}). */
    static String pkcs8Pem(PrivateKey key) throws IOException {
        return pem(new JcaPKCS8Generator(key, null));
    }

    static byte[] bytes(String pem) {
        return pem.getBytes(StandardCharsets.US_ASCII);
    }
}
