package io.ursa.ctl;

import static java.util.Objects.requireNonNull;

import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code generate signing-key} (kumactl 2.0's {@code app/kumactl/cmd/generate/generate_signing_key.go}): a new RSA
 * 2048 private key as PEM {@code RSA PRIVATE KEY} (PKCS#1, what Kuma's {@code tokens.NewSigningKey} makes), printed
 * base64-encoded without a newline: the {@code data} of a signing-key GlobalSecret (for example
 * {@code user-token-signing-key-2}) or Secret ({@code dataplane-token-signing-key-<mesh>-2}). The control plane
 * reads that form as well as the PKCS#8 {@code PRIVATE KEY} it writes itself (ursa-core's {@code RsaKeys}), and Kuma
 * reads only this one, so the key can rotate the tokens of either. Needs no control plane.
 */
@Command(name = "signing-key", description = "Generate a private key for signing tokens (printed base64-encoded,"
        + " ready to be the data of a signing-key secret).", footerHeading = "%nExamples:%n", footer = {
                "  # A new signing key to rotate user tokens",
                "  echo \"",
                "  type: GlobalSecret",
                "  name: user-token-signing-key-0002",
                "  data: {{ key }}",
                "  \" | ursactl apply --var key=$(ursactl generate signing-key) -f -"})
final class GenerateSigningKeyCommand implements Callable<Integer> {
    static final int KEY_SIZE = 2048;

    private final RootCommand root;

    GenerateSigningKeyCommand(RootCommand root) {
        this.root = requireNonNull(root, "root");
    }

    @Override
    public Integer call() {
        root.env().out().print(Base64.getEncoder().encodeToString(newSigningKey()));
        root.env().out().flush();
        return 0;
    }

    /** A new RSA private key as PEM {@code RSA PRIVATE KEY}. */
    static byte[] newSigningKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(KEY_SIZE);
            return PemEncoding.rsaPrivateKey(generator.generateKeyPair().getPrivate());
        } catch (NoSuchAlgorithmException e) {
            throw new CtlException("could not generate signing key: " + e.getMessage(), e);
        }
    }
}
