package io.ursa.core.tokens;

import io.ursa.core.keys.RsaKeyPool;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the RSA private key a signing-key Secret holds, in each form Kuma accepts: PEM {@code PRIVATE KEY}
 * (PKCS#8, what Ursa writes), PEM {@code RSA PRIVATE KEY} (PKCS#1, what Kuma writes), or the raw PKCS#1 DER of
 * old Kuma versions; and makes new signing keys, for the Secrets and GlobalSecrets that hold them.
 */
public final class RsaKeys {
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)\\s*-----END \\1-----");
    /** AlgorithmIdentifier of rsaEncryption (OID 1.2.840.113549.1.1.1, NULL parameters), DER. */
    private static final byte[] RSA_ALGORITHM = {
            0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    private static final int SIGNING_KEY_BITS = 2048;

    private RsaKeys() {
    }

    /**
     * A new RSA 2048 private key as PEM {@code PRIVATE KEY} (PKCS#8): what a new signing-key secret holds. The key
     * comes from the shared {@link RsaKeyPool} (generated ahead, handed out once) when one is ready.
     */
    public static byte[] newPrivateKeyPem() {
        return privateKeyPem(newSigningKey());
    }

    /**
     * A new RSA 2048 key pair for a signing key, from the shared {@link RsaKeyPool}; one that ends up unused (its
     * Secret was never written) may go back with {@link RsaKeyPool#giveBack}.
     */
    public static KeyPair newSigningKey() {
        return RsaKeyPool.shared().take(SIGNING_KEY_BITS);
    }

    /** The private key of {@code pair} as PEM {@code PRIVATE KEY} (PKCS#8): what a signing-key secret holds. */
    public static byte[] privateKeyPem(KeyPair pair) {
        byte[] der = pair.getPrivate().getEncoded();
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END PRIVATE KEY-----\n";
        return pem.getBytes(StandardCharsets.US_ASCII);
    }

    /** The key in {@code data}; {@link IllegalArgumentException} naming the problem when it holds none. */
    static RSAPrivateCrtKey parsePrivateKey(byte[] data) {
        String text = new String(data, StandardCharsets.US_ASCII);
        Matcher pem = PEM.matcher(text);
        if (pem.find()) {
            byte[] der = decodeBase64(pem.group(2));
            return switch (pem.group(1)) {
                case "PRIVATE KEY" -> fromPkcs8(der);
                case "RSA PRIVATE KEY" -> fromPkcs8(pkcs1ToPkcs8(der));
                default -> throw new IllegalArgumentException("unsupported PEM block \"" + pem.group(1)
                        + "\" (expected: \"PRIVATE KEY\" or \"RSA PRIVATE KEY\")");
            };
        }
        return fromPkcs8(pkcs1ToPkcs8(data));
    }

    static RSAPublicKey publicKeyOf(RSAPrivateCrtKey key) {
        try {
            return (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("could not derive the public key: " + e.getMessage(), e);
        }
    }

    private static RSAPrivateCrtKey fromPkcs8(byte[] der) {
        PrivateKey key;
        try {
            key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an RSA private key (" + e.getMessage() + ")", e);
        }
        if (key instanceof RSAPrivateCrtKey crt) {
            return crt;
        }
        throw new IllegalArgumentException("the RSA private key has no public exponent (expected: a CRT key)");
    }

    private static byte[] decodeBase64(String body) {
        try {
            return Base64.getMimeDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the PEM body is not base64: " + e.getMessage(), e);
        }
    }

    /** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo (version 0, rsaEncryption). */
    private static byte[] pkcs1ToPkcs8(byte[] pkcs1) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x02, 0x01, 0x00});
        body.writeBytes(RSA_ALGORITHM);
        body.write(0x04);
        writeLength(body, pkcs1.length);
        body.writeBytes(pkcs1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30);
        writeLength(out, body.size());
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static void writeLength(ByteArrayOutputStream out, int length) {
        if (length < 0x80) {
            out.write(length);
            return;
        }
        int bytes = length > 0xffffff ? 4 : length > 0xffff ? 3 : length > 0xff ? 2 : 1;
        out.write(0x80 | bytes);
        for (int i = bytes - 1; i >= 0; i--) {
            out.write((length >>> (8 * i)) & 0xff);
        }
    }
}
