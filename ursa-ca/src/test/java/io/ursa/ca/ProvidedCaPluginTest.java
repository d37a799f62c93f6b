package io.ursa.ca;

import static io.ursa.ca.TestCertificates.bytes;
import static io.ursa.ca.TestCertificates.pem;
import static io.ursa.ca.TestCertificates.pkcs8Pem;
import static io.ursa.ca.TestCertificates.sec1Pem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursa.api.codec.Json;
import io.ursa.api.validation.Violation;
import io.ursa.api.validation.Violations;
import io.ursa.core.ca.CaBackendContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kuma 2.0's provided CA backend validation ({@code pkg/plugins/ca/provided/manager_test.go},
 * {@code ca_cert_validator_test.go}), with certificates generated here.
 */
class ProvidedCaPluginTest {
    private static final String MESH = "demo";
    private static final String NOT_CA =
            "basic constraint 'CA' must be set to 'true' (see X509-SVID: 4.1. Basic Constraints)";
    private static final String NO_KEY_CERT_SIGN =
            "key usage extension 'keyCertSign' must be set (see X509-SVID: 4.3. Key Usage)";
    private static final String KEY_AGREEMENT =
            "key usage extension 'keyAgreement' must NOT be set (see X509-SVID: Appendix A. X.509 Field Reference)";

    private static KeyPair rsaCaKeys;
    private static X509Certificate rsaCa;
    private static KeyPair ecCaKeys;
    private static X509Certificate ecCa;

    private final ProvidedCaPlugin plugin = new ProvidedCaPlugin();
    private final InMemorySecrets secrets = new InMemorySecrets();

    @BeforeAll
    static void createCas() throws Exception {
        rsaCaKeys = TestCertificates.rsaKeys();
        rsaCa = TestCertificates.selfSigned(rsaCaKeys, "rsa-root", true, KeyUsage.keyCertSign | KeyUsage.cRLSign);
        ecCaKeys = TestCertificates.ecKeys();
        ecCa = TestCertificates.selfSigned(ecCaKeys, "ec-root", true, KeyUsage.keyCertSign | KeyUsage.cRLSign);
    }

    @Test
    void acceptsACaFromSecretsWithAPkcs1Key() throws Exception {
        secrets.put(MESH, "ca-cert", bytes(pem(rsaCa))).put(MESH, "ca-key", bytes(pem(rsaCaKeys.getPrivate())));

        assertThat(pem(rsaCaKeys.getPrivate())).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(validate("{cert: {secret: ca-cert}, key: {secret: ca-key}}")).isEmpty();
    }

    @Test
    void acceptsInlineBase64WithAPkcs8Key() throws Exception {
        String conf = "{cert: {inline: " + base64(pem(rsaCa)) + "}, key: {inline: "
                + base64(pkcs8Pem(rsaCaKeys.getPrivate())) + "}}";

        assertThat(pkcs8Pem(rsaCaKeys.getPrivate())).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(validate(conf)).isEmpty();
    }

    @Test
    void acceptsInlineStringsWithSec1AndPkcs8EcKeys() throws Exception {
        assertThat(sec1Pem(ecCaKeys)).startsWith("-----BEGIN EC PRIVATE KEY-----");
        assertThat(validate(inlineStrings(pem(ecCa), sec1Pem(ecCaKeys)))).isEmpty();
        assertThat(validate(inlineStrings(pem(ecCa), pkcs8Pem(ecCaKeys.getPrivate())))).isEmpty();
    }

    @Test
    void acceptsFiles(@TempDir Path dir) throws Exception {
        Path cert = Files.writeString(dir.resolve("ca.pem"), pem(rsaCa));
        Path key = Files.writeString(dir.resolve("ca.key"), pem(rsaCaKeys.getPrivate()));

        assertThat(validate("{cert: {file: '" + cert + "'}, key: {file: '" + key + "'}}")).isEmpty();
    }

    @Test
    void acceptsAChainOfCas() throws Exception {
        KeyPair intermediateKeys = TestCertificates.rsaKeys();
        X509Certificate intermediate = TestCertificates.issued(rsaCa, rsaCaKeys.getPrivate(), intermediateKeys,
                "intermediate", true, KeyUsage.keyCertSign);

        assertThat(validate(inlineStrings(pem(intermediate, rsaCa), pem(intermediateKeys.getPrivate())))).isEmpty();
    }

    @Test
    void requiresCertAndKey() throws Exception {
        assertThat(validate("{}")).containsExactly(
                new Violation("cert", "has to be defined"),
                new Violation("key", "has to be defined"));
        assertThat(validate("{cert: null, key: {secret: x}}")).containsExactly(
                new Violation("cert", "has to be defined"));
    }

    @Test
    void requiresADataSourceToBeChosen() throws Exception {
        String message = "data source has to be chosen. Available sources: secret, file, inline";

        assertThat(validate("{cert: {}, key: {}}")).containsExactly(
                new Violation("cert", message), new Violation("key", message));
        // A null member leaves the oneof unset. (Kuma's vector writes "secret:" with no value, which YAML reads as
        // null; Ursa's shared YAML mapper currently reads it as "" unless EMPTY_STRING_AS_NULL is enabled.)
        assertThat(validate("{cert: {secret: null}, key: {secret: ~}}")).containsExactly(
                new Violation("cert", message), new Violation("key", message));
    }

    @Test
    void rejectsAChosenButEmptySource() throws Exception {
        assertThat(validate("{cert: {secret: ''}, key: {file: ''}}")).containsExactly(
                new Violation("cert.secret", "cannot be empty"),
                new Violation("key.file", "cannot be empty"));
        assertThat(validate("{cert: {inline: ''}, key: {inline: ''}}")).containsExactly(
                new Violation("cert.inline", "cannot be empty"),
                new Violation("key.inline", "cannot be empty"));
    }

    @Test
    void reportsAConfThatDoesNotConvertOnTheConfItself() throws Exception {
        assertThat(validate("{cert: ca.pem, key: {secret: k}}")).containsExactly(new Violation("",
                "could not convert backend config: cert: expected an object, got: \"ca.pem\""));
        assertThat(validate("{cert: {secret: a, file: b}, key: {secret: k}}")).containsExactly(new Violation("",
                "could not convert backend config: cert: more than one data source set: secret, file "
                        + "(expected: at most one of secret, file, inline, inlineString)"));
        assertThat(validate("{cert: {inline: '%%%'}, key: {secret: k}}")).containsExactly(new Violation("",
                "could not convert backend config: cert.inline: expected a base64 string, got: \"%%%\""));
    }

    @Test
    void reportsALoadErrorOnBothFields() throws Exception {
        String missingFile = "could not load data: open /tmp/non-existing-file: no such file or directory";
        String missingSecret = "could not load data: Resource not found: type=\"Secret\" name=\"ca-key\" mesh=\"demo\"";

        assertThat(validate("{cert: {file: /tmp/non-existing-file}, key: {file: /tmp/non-existing-file}}"))
                .containsExactly(new Violation("cert", missingFile), new Violation("key", missingFile));
        assertThat(validate("{cert: {inlineString: x}, key: {secret: ca-key}}"))
                .containsExactly(new Violation("cert", missingSecret), new Violation("key", missingSecret));
    }

    @Test
    void refusesDevicesAndFilesTooLargeToBeACertificateWithoutReadingThem(@TempDir Path dir) throws Exception {
        Path huge = dir.resolve("huge.pem");
        Files.write(huge, new byte[DataSourceLoader.MAX_FILE_BYTES + 1]);

        String device = "could not load data: read /dev/zero: not a regular file";
        String tooLarge = "could not load data: read " + huge + ": larger than 1048576 bytes"
                + " (a certificate or key is a few kilobytes)";

        assertThat(validate("{cert: {file: /dev/zero}, key: {file: /dev/zero}}"))
                .containsExactly(new Violation("cert", device), new Violation("key", device));
        assertThat(validate("{cert: {file: '" + huge + "'}, key: {file: '" + huge + "'}}"))
                .containsExactly(new Violation("cert", tooLarge), new Violation("key", tooLarge));
    }

    @Test
    void readsSecretsOfTheMeshBeingConfigured() throws Exception {
        secrets.put("other", "ca-cert", bytes(pem(rsaCa))).put("other", "ca-key", bytes(pem(rsaCaKeys.getPrivate())));

        assertThat(validate("{cert: {secret: ca-cert}, key: {secret: ca-key}}")).extracting(Violation::message)
                .containsExactly(
                        "could not load data: Resource not found: type=\"Secret\" name=\"ca-key\" mesh=\"demo\"",
                        "could not load data: Resource not found: type=\"Secret\" name=\"ca-key\" mesh=\"demo\"");
    }

    @Test
    void rejectsDataThatIsNotPem() throws Exception {
        assertThat(validate("{cert: {inline: dGVzdA==}, key: {inline: dGVzdA==}}")).containsExactly(new Violation(
                "cert", "not a valid TLS key pair: tls: failed to find any PEM data in certificate input"));
        assertThat(validate(inlineStrings(pem(rsaCa), "KEY"))).containsExactly(new Violation(
                "cert", "not a valid TLS key pair: tls: failed to find any PEM data in key input"));
    }

    @Test
    void rejectsSwappedOrMisplacedPemBlocks() throws Exception {
        String certPem = pem(rsaCa);
        String keyPem = pem(rsaCaKeys.getPrivate());

        assertThat(validate(inlineStrings(keyPem, certPem))).containsExactly(new Violation("cert",
                "not a valid TLS key pair: tls: failed to find certificate PEM data in certificate input, but did "
                        + "find a private key; PEM inputs may have been switched"));
        assertThat(validate(inlineStrings(certPem, certPem))).containsExactly(new Violation("cert",
                "not a valid TLS key pair: tls: found a certificate rather than a key in the PEM for the private key"));
        assertThat(validate(inlineStrings(certPem, "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"
                + "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n")))
                .containsExactly(new Violation("cert", "not a valid TLS key pair: tls: failed to find PEM block with "
                        + "type ending in \"PRIVATE KEY\" in key input after skipping PEM blocks of the following "
                        + "types: [PUBLIC KEY CERTIFICATE REQUEST]"));
    }

    @Test
    void rejectsAKeyThatDoesNotParse() throws Exception {
        String junkKey = "-----BEGIN PRIVATE KEY-----\ndGVzdA==\n-----END PRIVATE KEY-----\n";

        assertThat(validate(inlineStrings(pem(rsaCa), junkKey))).containsExactly(
                new Violation("cert", "not a valid TLS key pair: tls: failed to parse private key"));
    }

    @Test
    void rejectsASec1KeyWithoutItsCurve() throws Exception {
        // What BouncyCastle writes for a JDK EC key; Go's x509.ParseECPrivateKey rejects it too.
        assertThat(validate(inlineStrings(pem(ecCa), pem(ecCaKeys.getPrivate())))).containsExactly(new Violation(
                "cert", "not a valid TLS key pair: tls: failed to parse private key"));
    }

    @Test
    void rejectsAKeyThatDoesNotMatchTheCertificate() throws Exception {
        KeyPair otherRsa = TestCertificates.rsaKeys();
        KeyPair otherEc = TestCertificates.ecKeys();

        assertThat(validate(inlineStrings(pem(rsaCa), pem(otherRsa.getPrivate())))).containsExactly(
                new Violation("cert", "not a valid TLS key pair: tls: private key does not match public key"));
        assertThat(validate(inlineStrings(pem(ecCa), pkcs8Pem(otherEc.getPrivate())))).containsExactly(
                new Violation("cert", "not a valid TLS key pair: tls: private key does not match public key"));
        assertThat(validate(inlineStrings(pem(rsaCa), sec1Pem(ecCaKeys)))).containsExactly(
                new Violation("cert", "not a valid TLS key pair: tls: private key type does not match public key type"));
    }

    @Test
    void rejectsALeafCertificate() throws Exception {
        KeyPair keys = TestCertificates.ecKeys();
        X509Certificate leaf = TestCertificates.selfSigned(keys, "leaf", false,
                KeyUsage.digitalSignature | KeyUsage.keyEncipherment);

        assertThat(validate(inlineStrings(pem(leaf), sec1Pem(keys)))).containsExactly(
                new Violation("cert[0]", NOT_CA), new Violation("cert[0]", NO_KEY_CERT_SIGN));
    }

    @Test
    void rejectsACaWithoutKeyCertSign() throws Exception {
        KeyPair keys = TestCertificates.ecKeys();
        X509Certificate ca = TestCertificates.selfSigned(keys, "no-cert-sign", true, KeyUsage.cRLSign);
        X509Certificate noUsage = TestCertificates.selfSigned(keys, "no-key-usage", true, 0);

        assertThat(validate(inlineStrings(pem(ca), sec1Pem(keys))))
                .containsExactly(new Violation("cert[0]", NO_KEY_CERT_SIGN));
        assertThat(validate(inlineStrings(pem(noUsage), sec1Pem(keys))))
                .containsExactly(new Violation("cert[0]", NO_KEY_CERT_SIGN));
    }

    @Test
    void rejectsACaWithKeyAgreement() throws Exception {
        KeyPair keys = TestCertificates.ecKeys();
        X509Certificate ca = TestCertificates.selfSigned(keys, "key-agreement", true,
                KeyUsage.keyCertSign | KeyUsage.keyAgreement);
        X509Certificate leaf = TestCertificates.selfSigned(keys, "all-wrong", false, KeyUsage.keyAgreement);

        assertThat(validate(inlineStrings(pem(ca), sec1Pem(keys))))
                .containsExactly(new Violation("cert[0]", KEY_AGREEMENT));
        assertThat(validate(inlineStrings(pem(leaf), sec1Pem(keys)))).containsExactly(
                new Violation("cert[0]", NOT_CA), new Violation("cert[0]", NO_KEY_CERT_SIGN),
                new Violation("cert[0]", KEY_AGREEMENT));
    }

    @Test
    void checksEveryCertificateOfTheChain() throws Exception {
        KeyPair leafKeys = TestCertificates.ecKeys();
        X509Certificate leaf = TestCertificates.issued(rsaCa, rsaCaKeys.getPrivate(), leafKeys, "leaf", false,
                KeyUsage.digitalSignature);

        assertThat(validate(inlineStrings(pem(rsaCa, leaf), pem(rsaCaKeys.getPrivate())))).containsExactly(
                new Violation("cert[1]", NOT_CA), new Violation("cert[1]", NO_KEY_CERT_SIGN));
    }

    @Test
    void stopsAtACertificateThatDoesNotParse() throws Exception {
        String garbage = "-----BEGIN CERTIFICATE-----\ndGVzdA==\n-----END CERTIFICATE-----\n";

        List<Violation> chainError = validate(inlineStrings(pem(rsaCa) + garbage + garbage,
                pem(rsaCaKeys.getPrivate())));
        List<Violation> leafError = validate(inlineStrings(garbage + pem(rsaCa), pem(rsaCaKeys.getPrivate())));

        assertThat(chainError).containsExactly(
                new Violation("cert[1]", "not a valid x509 certificate: x509: malformed certificate"));
        assertThat(leafError).containsExactly(
                new Violation("cert", "not a valid TLS key pair: x509: malformed certificate"));
    }

    @Test
    void usesTheSecretsItsSourcesName() throws Exception {
        assertThat(plugin.usedSecrets(context("{cert: {secret: ca-cert}, key: {secret: ca-key}}")))
                .containsExactlyInAnyOrder("ca-cert", "ca-key");
        assertThat(plugin.usedSecrets(context("{cert: {secret: both}, key: {secret: both}}"))).containsExactly("both");
        assertThat(plugin.usedSecrets(context("{cert: {file: /ca.pem}, key: {secret: ''}}"))).isEmpty();
        assertThat(plugin.usedSecrets(context("{cert: not-an-object}"))).isEmpty();
    }

    @Test
    void addsItsViolationsAfterOnesAlreadyCollected() throws Exception {
        Violations violations = new Violations();
        violations.add(io.ursa.api.validation.Path.of("earlier"), "problem");

        plugin.validate(context("{cert: {secret: ''}, key: {secret: k}}"), violations);

        assertThat(violations.list()).containsExactly(new Violation("earlier", "problem"),
                new Violation("cert.secret", "cannot be empty"));
    }

    private List<Violation> validate(String confYaml) throws Exception {
        Violations violations = new Violations();
        plugin.validate(context(confYaml), violations);
        return violations.list();
    }

    private CaBackendContext context(String confYaml) throws Exception {
        ObjectNode conf = (ObjectNode) Json.yaml().readTree(confYaml);
        return new CaBackendContext(MESH, "ca-1", "provided", conf, secrets);
    }

    private static String inlineStrings(String certPem, String keyPem) {
        ObjectNode conf = Json.json().createObjectNode();
        conf.putObject("cert").put("inlineString", certPem);
        conf.putObject("key").put("inlineString", keyPem);
        return conf.toString();
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }
}
