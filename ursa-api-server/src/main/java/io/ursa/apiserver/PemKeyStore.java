package io.ursa.apiserver;

import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * The HTTPS listener's certificate chain and key, read from PEM (every {@code CERTIFICATE} block of the chain, the
 * server's first; one unencrypted private key as PKCS#8 {@code PRIVATE KEY}, PKCS#1 {@code RSA PRIVATE KEY} or
 * SEC1 {@code EC PRIVATE KEY}), checked to belong together, and put in an in-memory key store for Jetty. Messages
 * name what is wrong, never the key.
 *
 * @param keyStore the PKCS#12 key store holding the one entry {@link #ALIAS}
 * @param password the (random) password of the store and its entry
 */
record PemKeyStore(KeyStore keyStore, String password) {
    static final String ALIAS = "api";

    static PemKeyStore parse(String chainPem, String keyPem) {
        List<X509Certificate> chain = certificates(chainPem);
        PrivateKey key = privateKey(keyPem);
        checkPair(chain.get(0), key);
        try {
            byte[] secret = new byte[16];
            new SecureRandom().nextBytes(secret);
            String password = HexFormat.of().formatHex(secret);
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, key, password.toCharArray(), chain.toArray(new X509Certificate[0]));
            return new PemKeyStore(store, password);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("could not build the HTTPS key store: " + e.getMessage(), e);
        }
    }

    private static List<X509Certificate> certificates(String pem) {
        List<X509Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object block = parser.readObject(); block != null; block = parser.readObject()) {
                if (block instanceof X509CertificateHolder holder) {
                    chain.add(converter.getCertificate(holder));
                }
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("invalid HTTPS certificate chain: " + e.getMessage()
                    + " (expected: PEM CERTIFICATE blocks, the server's certificate first)", e);
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("invalid HTTPS certificate chain: no CERTIFICATE block"
                    + " (expected: PEM CERTIFICATE blocks, the server's certificate first)");
        }
        return chain;
    }

    private static PrivateKey privateKey(String pem) {
        String expected = " (expected: an unencrypted PEM PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)";
        List<PrivateKey> keys = new ArrayList<>();
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object block = parser.readObject(); block != null; block = parser.readObject()) {
                if (block instanceof PEMKeyPair pair) {
                    keys.add(converter.getPrivateKey(pair.getPrivateKeyInfo())); // SEC1 may omit the public key
                } else if (block instanceof PrivateKeyInfo info) {
                    keys.add(converter.getPrivateKey(info));
                } else if (block instanceof PEMEncryptedKeyPair || block instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new IllegalArgumentException("invalid HTTPS private key: it is encrypted" + expected);
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("invalid HTTPS private key: the PEM cannot be read" + expected, e);
        }
        if (keys.size() != 1) {
            throw new IllegalArgumentException("invalid HTTPS private key: found " + keys.size() + " keys"
                    + expected);
        }
        return keys.get(0);
    }

    /** The key signs what the certificate's public key verifies. */
    private static void checkPair(X509Certificate certificate, PrivateKey key) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new IllegalArgumentException("invalid HTTPS private key: unsupported algorithm "
                    + key.getAlgorithm() + " (expected: RSA, EC or Ed25519)");
        };
        byte[] probe = new byte[32];
        new SecureRandom().nextBytes(probe);
        boolean matches;
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            matches = verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            matches = false;
        }
        if (!matches) {
            throw new IllegalArgumentException("invalid HTTPS private key: it does not belong to the certificate "
                    + certificate.getSubjectX500Principal().getName() + " (expected: the key of the first certificate"
                    + " of the chain)");
        }
    }

    @Override
    public String toString() {
        return "PemKeyStore[" + ALIAS + "]";
    }
}
