package io.ursa.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.util.io.pem.PemReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ursactl generate tls-certificate}: kumactl's flags and messages, and what a user finds in the files: a
 * certificate that parses, names its hostnames, says server or client, and goes with the key next to it. The golden
 * files hold the output and a summary of the certificate, like {@code openssl x509 -text} would show it.
 */
class GenerateTlsCertificateTest {
    @TempDir
    Path dir;

    @TempDir
    Path home;

    private CtlRunner.Result generate(String... args) {
        List<String> all = new ArrayList<>(List.of("generate", "tls-certificate"));
        all.addAll(List.of(args));
        return new CtlRunner(home).run(all.toArray(String[]::new));
    }

    @Test
    void aServerCertificateNamesEveryHostnameAndIsForServerAuthentication() throws Exception {
        Path key = dir.resolve("key.pem");
        Path cert = dir.resolve("cert.pem");

        CtlRunner.Result result = generate("--type=server", "--hostname=kuma1.internal",
                "--hostname", "kuma2.internal,127.0.0.1,::1", "--key-file", key.toString(),
                "--cert-file", cert.toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.err()).isEmpty();
        Golden.assertMatches(scrub(result.out()) + summary(key, cert), "generate-tls-certificate-server.golden.txt");
    }

    @Test
    void aClientCertificateWithAnEcdsaKeyIsForClientAuthentication() throws Exception {
        Path key = dir.resolve("client.key");
        Path cert = dir.resolve("client.crt");

        CtlRunner.Result result = generate("--type", "client", "--key-type", "ecdsa", "--hostname", "dataplane-1",
                "--key-file", key.toString(), "--cert-file", cert.toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        Golden.assertMatches(scrub(result.out()) + summary(key, cert), "generate-tls-certificate-client.golden.txt");
    }

    @Test
    void writesKeyThenCertificateToStdoutForADash() throws Exception {
        CtlRunner.Result both = generate("--type=server", "--hostname=localhost", "--key-file=-", "--cert-file=-");
        Path cert = dir.resolve("cert.pem");
        CtlRunner.Result keyOnly = generate("--type=server", "--hostname=localhost", "--key-file=-",
                "--cert-file", cert.toString());

        assertThat(both.exitCode()).as(both.toString()).isZero();
        assertThat(both.err()).isEmpty();
        assertThat(both.out()).startsWith("-----BEGIN RSA PRIVATE KEY-----\n")
                .contains("-----END RSA PRIVATE KEY-----\n-----BEGIN CERTIFICATE-----\n")
                .endsWith("-----END CERTIFICATE-----\n");
        assertThat(keyOnly.exitCode()).as(keyOnly.toString()).isZero();
        assertThat(keyOnly.out()).startsWith("-----BEGIN RSA PRIVATE KEY-----\n")
                .endsWith("-----END RSA PRIVATE KEY-----\n");
        assertThat(keyOnly.err()).isEqualTo("Certificate saved in " + cert + "\n");
        assertThat(parse(cert).getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
    }

    @Test
    void replacesExistingFilesSayingSoAndMakesAnOpenKeyFilePrivate() throws Exception {
        Path key = Files.writeString(dir.resolve("key.pem"), "old key");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-rw-rw-"));
        Path cert = dir.resolve("cert.pem");

        CtlRunner.Result result = generate("--type=client", "--hostname=dp-1", "--key-file", key.toString(),
                "--cert-file", cert.toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo("Private key saved in " + key + " (replacing the previous file)\n"
                + "Certificate saved in " + cert + "\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(Files.readString(key)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary file left")
                    .containsExactlyInAnyOrder("key.pem", "cert.pem");
        }
    }

    @Test
    void refusesMissingOrBadFlagsWithUsageErrorsWritingNothing() throws IOException {
        Map<List<String>, String> errors = Map.of(
                List.of("--type=server"), "Error: Missing required option: '--hostname=HOST'\n",
                List.of("--hostname=a"), "Error: Missing required option: '--type=TYPE'\n",
                List.of("--type=peer", "--hostname=a"),
                "Error: invalid certificate type \"peer\" (expected: client or server)\n",
                List.of("--type=server", "--hostname=a", "--key-type=dsa"),
                "Error: invalid key type \"dsa\" (expected: rsa or ecdsa)\n",
                List.of("--type=server", "--hostname=a,,b"),
                "Error: invalid --hostname \"\" (expected: a DNS name or an IP address)\n",
                List.of("--type=server", "--hostname=a", "--hostname=10.0.0.300"),
                "Error: invalid --hostname \"10.0.0.300\" (expected: a DNS name or an IP address)\n",
                List.of("--type=server", "--hostname=fe80::zz"),
                "Error: invalid --hostname \"fe80::zz\" (expected: a DNS name or an IP address)\n");
        errors.forEach((args, expected) -> {
            List<String> all = new ArrayList<>(args);
            all.addAll(List.of("--key-file", dir.resolve("k").toString(), "--cert-file", dir.resolve("c").toString()));

            CtlRunner.Result result = generate(all.toArray(String[]::new));

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(ErrorHandlers.USAGE);
            assertThat(result.err()).as(args.toString()).startsWith(expected);
            assertThat(result.out()).isEmpty();
        });
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void namesTheFileThatCannotBeWritten() {
        Path missing = dir.resolve("no-such-dir").resolve("key.pem");

        CtlRunner.Result result = generate("--type=server", "--hostname=a", "--key-file", missing.toString(),
                "--cert-file", dir.resolve("cert.pem").toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("Error: could not write the key file " + missing + ": the directory "
                + missing.getParent() + " does not exist\n");
    }

    private String scrub(String text) {
        return text.replace(dir.toString(), "<dir>");
    }

    private static X509Certificate parse(Path cert) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(cert)));
    }

    /** What a user checks: names, usages, dates, key type, that the key signs for the certificate, file modes. */
    private static String summary(Path keyFile, Path certFile) throws Exception {
        X509Certificate cert = parse(certFile);
        String keyPem = Files.readString(keyFile, StandardCharsets.US_ASCII);
        String keyBlock;
        PrivateKey key;
        try (PemReader reader = new PemReader(new StringReader(keyPem));
             PEMParser parser = new PEMParser(new StringReader(keyPem))) {
            keyBlock = reader.readPemObject().getType();
            key = new JcaPEMKeyConverter().getKeyPair((PEMKeyPair) parser.readObject()).getPrivate();
        }
        cert.verify(cert.getPublicKey());
        Signature signature = Signature.getInstance(cert.getSigAlgName());
        signature.initSign(key);
        signature.update(new byte[] {1, 2, 3});
        byte[] signed = signature.sign();
        signature.initVerify(cert);
        signature.update(new byte[] {1, 2, 3});
        boolean matches = signature.verify(signed);
        List<String> sans = new ArrayList<>();
        for (List<?> san : cert.getSubjectAlternativeNames()) {
            sans.add((((Integer) san.get(0)) == 2 ? "DNS:" : "IP:") + san.get(1));
        }
        List<String> extendedUsages = cert.getExtendedKeyUsage().stream()
                .map(oid -> Map.of("1.3.6.1.5.5.7.3.1", "serverAuth", "1.3.6.1.5.5.7.3.2", "clientAuth")
                        .getOrDefault(oid, oid)).toList();
        List<String> usages = new ArrayList<>();
        String[] names = {"digitalSignature", "nonRepudiation", "keyEncipherment", "dataEncipherment",
                "keyAgreement", "keyCertSign", "cRLSign", "encipherOnly", "decipherOnly"};
        for (int i = 0; i < cert.getKeyUsage().length; i++) {
            if (cert.getKeyUsage()[i]) {
                usages.add(names[i]);
            }
        }
        String publicKey = cert.getPublicKey() instanceof RSAPublicKey rsa ? "RSA " + rsa.getModulus().bitLength()
                : "EC " + ((ECPublicKey) cert.getPublicKey()).getParams().getCurve().getField().getFieldSize();
        return String.join("\n",
                "certificate:",
                "  subject: " + cert.getSubjectX500Principal().getName(),
                "  issuer: " + cert.getIssuerX500Principal().getName() + " (self-signed: verified with its own key)",
                "  valid: " + cert.getNotBefore().toInstant() + " to " + cert.getNotAfter().toInstant(),
                "  subject alternative names: " + sans,
                "  extended key usage: " + extendedUsages,
                "  key usage: " + usages,
                "  CA: " + (cert.getBasicConstraints() >= 0),
                "  public key: " + publicKey,
                "  signature: " + cert.getSigAlgName(),
                "key: " + keyBlock + (matches ? ", matches the certificate" : ", DOES NOT match the certificate"),
                "files: key " + PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))
                        + ", certificate " + PosixFilePermissions.toString(Files.getPosixFilePermissions(certFile)),
                "");
    }
}
