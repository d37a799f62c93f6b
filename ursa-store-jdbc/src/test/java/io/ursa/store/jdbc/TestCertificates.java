package io.ursa.store.jdbc;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A test CA, a server certificate it signed for {@code localhost} and {@code 127.0.0.1}, and an unrelated CA, as
 * PEM files in a directory (the server's key readable by its owner only, as PostgreSQL wants).
 */
record TestCertificates(Path caCert, Path otherCaCert, Path serverCert, Path serverKey) {

    static TestCertificates create(Path dir) throws Exception {
        SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(14L); // fixed seed: serials and keys are the same every run
        KeyPair ca = keyPair(random);
        X509Certificate caCert = certificate("CN=Ursa test CA", ca, "CN=Ursa test CA", ca, true, random);
        KeyPair other = keyPair(random);
        X509Certificate otherCert = certificate("CN=Some other CA", other, "CN=Some other CA", other, true, random);
        KeyPair server = keyPair(random);
        X509Certificate serverCert = certificate("CN=localhost", server, "CN=Ursa test CA", ca, false, random);
        TestCertificates files = new TestCertificates(dir.resolve("ca.crt"), dir.resolve("other-ca.crt"),
                dir.resolve("server.crt"), dir.resolve("server.key"));
        write(files.caCert, caCert);
        write(files.otherCaCert, otherCert);
        write(files.serverCert, serverCert);
        // PKCS#8 PEM, which OpenSSL (the server) reads
        Files.writeString(files.serverKey, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(server.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        Files.setPosixFilePermissions(files.serverKey, PosixFilePermissions.fromString("rw-------"));
        return files;
    }

    private static KeyPair keyPair(SecureRandom random) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), random);
        return generator.generateKeyPair();
    }

    private static X509Certificate certificate(String subject, KeyPair subjectKeys, String issuer, KeyPair issuerKeys,
                                               boolean isCa, SecureRandom random) throws Exception {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                new BigInteger(64, random), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(2))), new X500Name(subject), subjectKeys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
        if (isCa) {
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } else {
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        }
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
    }

    private static void write(Path file, Object pem) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(pem);
        }
        Files.writeString(file, out.toString());
    }
}
