package io.ursa.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.secret.SecretSpec;
import io.ursa.core.access.User;
import io.ursa.core.manager.ResourceManager;
import io.ursa.core.store.MemoryResourceStore;
import io.ursa.core.tokens.UserTokenIssuer;
import io.ursa.core.tokens.UserTokenValidator;
import io.ursa.core.tokens.UserTokens;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.OptionalLong;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ursactl generate signing-key}: kumactl's output (base64 of a PEM RSA key, no newline), and a key the
 * control plane's token code signs and checks with once it is stored as a signing-key GlobalSecret.
 */
class GenerateSigningKeyTest {
    @TempDir
    Path home;

    @Test
    void printsABase64EncodedPemRsaPrivateKeyWithoutANewline() throws Exception {
        CtlRunner.Result result = new CtlRunner(home).run("generate", "signing-key");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(result.out()).doesNotContain("\n").matches("[A-Za-z0-9+/]+=*");
        String pem = new String(Base64.getDecoder().decode(result.out()), StandardCharsets.US_ASCII);
        assertThat(pem).startsWith("-----BEGIN RSA PRIVATE KEY-----\n").endsWith("-----END RSA PRIVATE KEY-----\n");
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            PEMKeyPair keys = (PEMKeyPair) parser.readObject();
            RSAPrivateKey key = RSAPrivateKey.getInstance(keys.getPrivateKeyInfo().parsePrivateKey());
            assertThat(key.getModulus().bitLength()).isEqualTo(2048);
        }
        assertThat(new CtlRunner(home).run("generate", "signing-key").out()).as("a new key each time")
                .isNotEqualTo(result.out());
        assertThat(home.resolve(".ursactl")).doesNotExist();
    }

    @Test
    void theControlPlaneSignsAndChecksUserTokensWithTheKeyStoredAsTheNextSigningKey() throws Exception {
        ResourceManager manager = ResourceManager.create(new MemoryResourceStore(), Clock.systemUTC(), List.of());
        UserTokens.ensureSigningKey(manager);
        String key = new CtlRunner(home).run("generate", "signing-key").out();
        ResourceCodec codec = new ResourceCodec(ResourceTypes.standard());
        // what `ursactl apply --var key=$(ursactl generate signing-key)` sends, as the kumactl example shows
        Resource<?> secret = codec.decode(codec.parseYamlDocuments("type: GlobalSecret\nname: "
                + UserTokens.signingKeyName(2) + "\ndata: " + key + "\n").get(0));
        manager.upsert(ResourceTypes.GLOBAL_SECRET, "", secret.name(), (SecretSpec) secret.spec(),
                OptionalLong.empty());

        String token = new UserTokenIssuer(manager, Clock.systemUTC()).issue(new User("alice", List.of("ops")),
                Duration.ofHours(1));

        assertThat(SignedJWT.parse(token).getHeader().getKeyID()).as("signed with the new key").isEqualTo("2");
        assertThat(new UserTokenValidator(manager, Clock.systemUTC()).validate(token).name()).isEqualTo("alice");
    }
}
