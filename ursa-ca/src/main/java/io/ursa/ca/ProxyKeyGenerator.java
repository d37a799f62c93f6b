package io.ursa.ca;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * Makes the key of a proxy's identity certificate, encoded as a certificate and a proxy need it: the public key as
 * DER {@code SubjectPublicKeyInfo} (what the certificate holds) and the private key as PEM PKCS#8
 * ({@code PRIVATE KEY}, the form grpc's {@code file_watcher} provider reads). Nothing else of the key pair is kept.
 *
 * <p>P-256 keys come from BouncyCastle's generator: its fixed-point multiplication of the base point is about three
 * times as fast as the JDK's on this project's machines; the randomness is still the given {@code SecureRandom}.
 * Each thread has its own generator, initialized once (looking up the provider and the curve's parameters for every
 * key cost about a tenth of issuing a certificate; a generator is not thread-safe). Thread-safe.
 */
public final class ProxyKeyGenerator {
    /** BouncyCastle, for P-256 key generation only; not installed as a JVM-wide provider. */
    private static final Provider EC_KEYS = new BouncyCastleProvider();

    /** A proxy's key, encoded: the public key for its certificate and the private key for the proxy. */
    public record PreparedKey(DataplaneCertificateIssuer.KeyType type, byte[] subjectPublicKeyInfo,
                              String privateKeyPem) {
        public PreparedKey {
            requireNonNull(type, "type");
            requireNonNull(subjectPublicKeyInfo, "subjectPublicKeyInfo");
            requireNonNull(privateKeyPem, "privateKeyPem");
        }
    }

    private final SecureRandom random;
    private final ThreadLocal<KeyPairGenerator> p256 = ThreadLocal.withInitial(this::newP256Generator);

    public ProxyKeyGenerator(SecureRandom random) {
        this.random = requireNonNull(random, "random");
    }

    /** A new key of {@code type} that no one else has been or will be given. */
    public PreparedKey generate(DataplaneCertificateIssuer.KeyType type) {
        requireNonNull(type, "type");
        KeyPair keys;
        try {
            keys = switch (type) {
                case ECDSA_P256 -> p256.get().generateKeyPair();
                case RSA_2048 -> {
                    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                    generator.initialize(2048, random);
                    yield generator.generateKeyPair();
                }
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate " + type + " keys", e);
        }
        return new PreparedKey(type, keys.getPublic().getEncoded(), privateKeyPem(keys));
    }

    private static String privateKeyPem(KeyPair keys) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(new JcaPKCS8Generator(keys.getPrivate(), null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private KeyPairGenerator newP256Generator() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", EC_KEYS);
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            return generator;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate P-256 keys", e);
        }
    }
}
