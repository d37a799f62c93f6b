package io.ursa.ca;

import static java.util.Objects.requireNonNull;

import io.ursa.core.keys.RsaKeyPool;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A mesh's builtin root CA as Kuma 2.0 makes it (mesh-spec §13.1): an RSA key of {@code caCert.RSAbits} bits, and a
 * self-signed certificate with subject {@code O=Kuma, OU=Mesh, CN=<mesh>}, serial 0, URI SAN {@code spiffe://<mesh>}
 * (the trust domain), valid from 10 s before now (clock skew) for {@code caCert.expiration}, basic constraints
 * {@code CA:true} and key usage certSign and cRLSign. PEM: {@code CERTIFICATE} and PKCS#1 {@code RSA PRIVATE KEY}.
 * The key comes from the shared {@link RsaKeyPool} (generated ahead, handed out once; a size other than 2048 is
 * generated on the spot the first time and pooled from then on).
 */
record BuiltinRootCa(byte[] certificatePem, byte[] keyPem) {
    static final Duration CLOCK_SKEW = Duration.ofSeconds(10);

    BuiltinRootCa {
        requireNonNull(certificatePem, "certificatePem");
        requireNonNull(keyPem, "keyPem");
    }

    /** A new root CA for {@code mesh}. */
    static BuiltinRootCa create(String mesh, int rsaBits, Duration validity, Instant now) {
        requireNonNull(mesh, "mesh");
        requireNonNull(validity, "validity");
        requireNonNull(now, "now");
        try {
            KeyPair keys = RsaKeyPool.shared().take(rsaBits);
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                    .addRDN(BCStyle.O, "Kuma")
                    .addRDN(BCStyle.OU, "Mesh")
                    .addRDN(BCStyle.CN, mesh)
                    .build();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, BigInteger.ZERO,
                    Date.from(now.minus(CLOCK_SKEW)), Date.from(CertificateTimes.notAfter(now, validity)), subject,
                    keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
                    new GeneralName(GeneralName.uniformResourceIdentifier, "spiffe://" + mesh)));
            X509CertificateHolder certificate = builder.build(
                    new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate()));
            return new BuiltinRootCa(pem(certificate), pem(keys.getPrivate()));
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot create the builtin CA of mesh " + mesh, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** PEM text; a private key is written in its traditional (PKCS#1 for RSA) form. */
    private static byte[] pem(Object object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
