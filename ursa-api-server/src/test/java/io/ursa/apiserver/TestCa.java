package io.ursa.apiserver;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed CA made in the test (RSA 2048, CA:true, keyCertSign and cRLSign, valid 2020-2040), as PEM for a
 * {@code provided} backend, and the reference computations a test checks the API against.
 *
 * @param certificatePem the certificate, PEM {@code CERTIFICATE}
 * @param keyPem         its key, PEM PKCS#8 {@code PRIVATE KEY}
 */
record TestCa(String certificatePem, String keyPem) {
    static final Instant NOT_AFTER = Instant.parse("2040-01-01T00:00:00Z");

    static TestCa create(String commonName) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair keys = generator.generateKeyPair();
            X500Name name = new X500Name("O=Ursa, CN=" + commonName);
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.ONE,
                    Date.from(Instant.parse("2020-01-01T00:00:00Z")), Date.from(NOT_AFTER), name, keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
            return new TestCa(pem("CERTIFICATE", certificate.getEncoded()),
                    pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
        } catch (Exception e) {
            throw new IllegalStateException("could not make a test CA", e);
        }
    }

    /**
     * A server certificate for {@code localhost} and 127.0.0.1 signed by this CA (ECDSA P-256, valid 2020-2040).
     *
     * @return the chain PEM (server, then this CA) and the key PEM (PKCS#8)
     */
    ServerCertificate issueServerCertificate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = generator.generateKeyPair();
            X509Certificate ca = certificate(certificatePem.getBytes(StandardCharsets.US_ASCII));
            PrivateKey caKey = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(
                    Base64.getMimeDecoder().decode(keyPem.replaceAll("-----[A-Z ]+-----", ""))));
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()), BigInteger.TWO,
                    Date.from(Instant.parse("2020-01-01T00:00:00Z")), Date.from(NOT_AFTER),
                    new X500Name("O=Ursa, CN=localhost"), keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
            X509Certificate server = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(caKey)));
            return new ServerCertificate(pem("CERTIFICATE", server.getEncoded()) + certificatePem,
                    pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
        } catch (Exception e) {
            throw new IllegalStateException("could not issue a test server certificate", e);
        }
    }

    /** A server's certificate chain and key, as PEM. */
    record ServerCertificate(String chainPem, String keyPem) {
    }

    /** A client SSL context that trusts this CA only. */
    javax.net.ssl.SSLContext trustingClient() {
        try {
            java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", certificate(certificatePem.getBytes(StandardCharsets.US_ASCII)));
            javax.net.ssl.TrustManagerFactory factory = javax.net.ssl.TrustManagerFactory.getInstance(
                    javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code value} as a DataSource's {@code inline} (base64 of the bytes). */
    static String inline(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.US_ASCII));
    }

    /** The first certificate of a PEM text. */
    static X509Certificate certificate(byte[] pem) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem));
        } catch (Exception e) {
            throw new IllegalArgumentException("not a PEM certificate", e);
        }
    }

    /** SHA-256 of the certificate's DER as {@code AB:CD:...}, computed here, independently of the CA code. */
    static String sha256(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
