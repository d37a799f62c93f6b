package io.ursa.ctl;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * PEM text as Go's {@code encoding/pem} writes it (64-character lines, a final newline), through BouncyCastle. Like
 * {@link SelfSignedCertificate}, loaded only by the commands that generate keys, never at start. Stateless.
 */
final class PemEncoding {
    private PemEncoding() {
    }

    /**
     * One PEM block for a certificate or a private key; private keys as Go's {@code x509} marshals them:
     * {@code RSA PRIVATE KEY} (PKCS#1) or {@code EC PRIVATE KEY} (SEC 1).
     */
    static String pem(Object value) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /**
     * A private key as Go's {@code x509} marshals it: {@code RSA PRIVATE KEY} (PKCS#1), or {@code EC PRIVATE KEY}
     * (SEC 1) with its named curve and public key, which Java's own encoding leaves out.
     */
    static String privateKey(KeyPair keys) {
        if (keys.getPrivate() instanceof ECPrivateKey ec) {
            SubjectPublicKeyInfo publicKey = SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
            try {
                byte[] sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(ec.getParams().getOrder().bitLength(),
                        ec.getS(), publicKey.getPublicKeyData(), publicKey.getAlgorithm().getParameters()).getEncoded();
                return pem(new PemObject("EC PRIVATE KEY", sec1));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return pem(keys.getPrivate());
    }

    /** An RSA private key as PEM {@code RSA PRIVATE KEY} (PKCS#1), Kuma's signing-key form. */
    static byte[] rsaPrivateKey(PrivateKey key) {
        try {
            byte[] pkcs1 = PrivateKeyInfo.getInstance(key.getEncoded()).parsePrivateKey().toASN1Primitive()
                    .getEncoded();
            return pem(new PemObject("RSA PRIVATE KEY", pkcs1)).getBytes(StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
