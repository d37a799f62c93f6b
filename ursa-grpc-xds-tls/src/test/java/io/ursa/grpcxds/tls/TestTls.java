package io.ursa.grpcxds.tls;

import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
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
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * TLS material made here with BouncyCastle (EC P-256, as the control plane makes its own): CAs, and certificates they
 * sign for a server's names or a client, as PEM and as grpc server credentials.
 */
final class TestTls {
    private static final AtomicLong SERIALS = new AtomicLong(1);

    private TestTls() {
    }

    /** A self-signed CA. */
    record Ca(X509Certificate certificate, PrivateKey key) {
        static Ca create(String commonName) {
            KeyPair keys = keys();
            X500Name subject = new X500Name("CN=" + commonName);
            JcaX509v3CertificateBuilder builder = builder(subject, subject, keys);
            extension(builder, Extension.basicConstraints, true, new BasicConstraints(true));
            extension(builder, Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            return new Ca(sign(builder, keys.getPrivate()), keys.getPrivate());
        }

        String pem() {
            return TestTls.pem(certificate);
        }

        /** A server certificate for {@code ip}. */
        Leaf server(String ip) {
            return leaf("server", KeyPurposeId.id_kp_serverAuth,
                    new GeneralNames(new GeneralName(GeneralName.iPAddress, ip)));
        }

        /** A client certificate. */
        Leaf client(String commonName) {
            return leaf(commonName, KeyPurposeId.id_kp_clientAuth, null);
        }

        private Leaf leaf(String commonName, KeyPurposeId purpose, GeneralNames names) {
            KeyPair keys = keys();
            JcaX509v3CertificateBuilder builder = builder(new X500Name(certificate.getSubjectX500Principal().getName()),
                    new X500Name("CN=" + commonName), keys);
            extension(builder, Extension.basicConstraints, true, new BasicConstraints(false));
            extension(builder, Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            extension(builder, Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            if (names != null) {
                extension(builder, Extension.subjectAlternativeName, false, names);
            }
            try {
                return new Leaf(TestTls.pem(sign(builder, key)) + pem(),
                        TestTls.pem(new JcaPKCS8Generator(keys.getPrivate(), null)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A certificate chain (leaf, then its CA) and its PKCS#8 key, as PEM. */
    record Leaf(String chainPem, String keyPem) {
        ServerCredentials serverCredentials() {
            return builder().build();
        }

        /** Server credentials that require a client certificate signed by {@code clientCa}. */
        ServerCredentials serverCredentialsRequiring(Ca clientCa) {
            try {
                return builder().clientAuth(TlsServerCredentials.ClientAuth.REQUIRE)
                        .trustManager(stream(clientCa.pem())).build();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private TlsServerCredentials.Builder builder() {
            try {
                return TlsServerCredentials.newBuilder().keyManager(stream(chainPem), stream(keyPem));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static KeyPair keys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JcaX509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIALS.getAndIncrement()),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(1))), subject,
                keys.getPublic());
    }

    private static void extension(JcaX509v3CertificateBuilder builder, org.bouncycastle.asn1.ASN1ObjectIdentifier oid,
                                  boolean critical, org.bouncycastle.asn1.ASN1Encodable value) {
        try {
            builder.addExtension(oid, critical, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder builder, PrivateKey issuerKey) {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(Object object) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private static ByteArrayInputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII));
    }
}
