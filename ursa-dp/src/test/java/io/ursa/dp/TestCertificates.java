package io.ursa.dp;

import io.ursa.ca.DataplaneCertificateIssuer;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A mesh CA made here with BouncyCastle (EC P-256, {@code spiffe://<mesh>} SAN, as the builtin CA has it), and proxy
 * certificates issued from it by the control plane's own {@link DataplaneCertificateIssuer}.
 */
final class TestCertificates {
    final String mesh;
    final String caPem;
    private final String caKeyPem;
    private final DataplaneCertificateIssuer issuer =
            new DataplaneCertificateIssuer(Clock.systemUTC(), new SecureRandom());

    private TestCertificates(String mesh, String caPem, String caKeyPem) {
        this.mesh = mesh;
        this.caPem = caPem;
        this.caKeyPem = caKeyPem;
    }

    static TestCertificates newCa(String mesh) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = generator.generateKeyPair();
            X500Name subject = new X500Name("O=Kuma,OU=Mesh,CN=" + mesh);
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, BigInteger.ONE,
                    Date.from(now.minusSeconds(10)), Date.from(now.plus(Duration.ofDays(1))), subject,
                    keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
                    new GeneralName(GeneralName.uniformResourceIdentifier, "spiffe://" + mesh)));
            return new TestCertificates(mesh,
                    pem(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()))),
                    pem(new JcaPKCS8Generator(keys.getPrivate(), null)));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new identity of a proxy of {@code service} (certificate PEM and PKCS#8 key PEM). */
    DataplaneCertificateIssuer.Issued issue(String service) {
        return issuer.issue(caPem.getBytes(), caKeyPem.getBytes(), mesh, Map.of("kuma.io/service", Set.of(service)),
                Duration.ofHours(1), DataplaneCertificateIssuer.KeyType.ECDSA_P256);
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
}
