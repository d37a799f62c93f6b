package io.ursa.ca;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.jcajce.provider.asymmetric.util.ECUtil;
import org.bouncycastle.math.ec.ECPoint;

/**
 * A certificate chain and its private key, checked the way Go's {@code tls.X509KeyPair} checks them (which Kuma's
 * provided CA uses): the certificate input must hold {@code CERTIFICATE} blocks, the key input a
 * {@code ... PRIVATE KEY} block in PKCS#1, PKCS#8 or SEC1 form (RSA, EC or Ed25519), the first certificate must
 * parse, and its public key must belong to the private key. Failures carry Go's messages. Public for the control
 * plane's own certificates ({@code io.ursa.ca.controlplane}), which are checked the same way.
 *
 * @param chain the DER of every certificate, leaf (the CA itself) first
 */
public record TlsKeyPair(List<byte[]> chain, PrivateKey key) {
    public TlsKeyPair {
        chain = List.copyOf(chain);
    }

    public static TlsKeyPair parse(byte[] certPem, byte[] keyPem) throws KeyPairException {
        List<byte[]> chain = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (PemBlocks.Block block : PemBlocks.decode(certPem)) {
            if (block.type().equals("CERTIFICATE")) {
                chain.add(block.bytes());
            } else {
                skipped.add(block.type());
            }
        }
        if (chain.isEmpty()) {
            throw new KeyPairException(noCertificateMessage(skipped));
        }
        byte[] keyDer = keyBlock(PemBlocks.decode(keyPem));
        X509Certificate leaf;
        try {
            leaf = parseCertificate(chain.get(0));
        } catch (CertificateException e) {
            throw new KeyPairException(firstLine(e.getMessage()));
        }
        PrivateKey key = parsePrivateKey(keyDer)
                .orElseThrow(() -> new KeyPairException("tls: failed to parse private key"));
        checkMatch(leaf.getPublicKey(), key);
        return new TlsKeyPair(chain, key);
    }

    /**
     * Parses one DER certificate. Bytes that are not an ASN.1 certificate structure get Go's message
     * ({@code x509: malformed certificate}); other failures the JDK's.
     */
    public static X509Certificate parseCertificate(byte[] der) throws CertificateException {
        try {
            org.bouncycastle.asn1.x509.Certificate.getInstance(der);
        } catch (RuntimeException e) {
            throw new CertificateException("x509: malformed certificate", e);
        }
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
    }

    private static String noCertificateMessage(List<String> skipped) {
        if (skipped.isEmpty()) {
            return "tls: failed to find any PEM data in certificate input";
        }
        if (skipped.size() == 1 && skipped.get(0).endsWith("PRIVATE KEY")) {
            return "tls: failed to find certificate PEM data in certificate input, but did find a private key; "
                    + "PEM inputs may have been switched";
        }
        return "tls: failed to find \"CERTIFICATE\" PEM block in certificate input after skipping PEM blocks of "
                + "the following types: " + goList(skipped);
    }

    private static byte[] keyBlock(List<PemBlocks.Block> blocks) throws KeyPairException {
        List<String> skipped = new ArrayList<>();
        for (PemBlocks.Block block : blocks) {
            if (block.type().equals("PRIVATE KEY") || block.type().endsWith(" PRIVATE KEY")) {
                return block.bytes();
            }
            skipped.add(block.type());
        }
        if (skipped.isEmpty()) {
            throw new KeyPairException("tls: failed to find any PEM data in key input");
        }
        if (skipped.size() == 1 && skipped.get(0).equals("CERTIFICATE")) {
            throw new KeyPairException("tls: found a certificate rather than a key in the PEM for the private key");
        }
        throw new KeyPairException("tls: failed to find PEM block with type ending in \"PRIVATE KEY\" in key input "
                + "after skipping PEM blocks of the following types: " + goList(skipped));
    }

    /** Go's order: PKCS#1, then PKCS#8, then SEC1, whatever the PEM type says. */
    private static Optional<PrivateKey> parsePrivateKey(byte[] der) {
        return pkcs1(der).or(() -> pkcs8(der)).or(() -> sec1(der));
    }

    private static Optional<PrivateKey> pkcs1(byte[] der) {
        try {
            var rsa = org.bouncycastle.asn1.pkcs.RSAPrivateKey.getInstance(der);
            return toKey(new PrivateKeyInfo(
                    new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE), rsa));
        } catch (RuntimeException | IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<PrivateKey> pkcs8(byte[] der) {
        try {
            return toKey(PrivateKeyInfo.getInstance(der));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<PrivateKey> sec1(byte[] der) {
        try {
            var ec = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(der);
            if (ec.getParametersObject() == null) {
                return Optional.empty();
            }
            return toKey(new PrivateKeyInfo(
                    new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, ec.getParametersObject()), ec));
        } catch (RuntimeException | IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<PrivateKey> toKey(PrivateKeyInfo info) {
        ASN1ObjectIdentifier algorithm = info.getPrivateKeyAlgorithm().getAlgorithm();
        String name;
        if (algorithm.equals(PKCSObjectIdentifiers.rsaEncryption)) {
            name = "RSA";
        } else if (algorithm.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
            name = "EC";
        } else if (algorithm.equals(EdECObjectIdentifiers.id_Ed25519)) {
            name = "Ed25519";
        } else {
            return Optional.empty();
        }
        try {
            PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(info.getEncoded());
            return Optional.of(KeyFactory.getInstance(name).generatePrivate(spec));
        } catch (GeneralSecurityException | IOException e) {
            return Optional.empty();
        }
    }

    private static void checkMatch(PublicKey pub, PrivateKey key) throws KeyPairException {
        boolean matches;
        if (pub instanceof RSAPublicKey rsaPub) {
            if (!(key instanceof RSAPrivateKey rsaKey)) {
                throw typeMismatch();
            }
            matches = rsaPub.getModulus().equals(rsaKey.getModulus());
        } else if (pub instanceof ECPublicKey ecPub) {
            if (!(key instanceof ECPrivateKey ecKey)) {
                throw typeMismatch();
            }
            matches = sameEcPoint(ecPub, ecKey);
        } else if (pub.getAlgorithm().equals("EdDSA") || pub.getAlgorithm().equals("Ed25519")) {
            if (!(key.getAlgorithm().equals("EdDSA") || key.getAlgorithm().equals("Ed25519"))) {
                throw typeMismatch();
            }
            matches = signs(key, pub, "Ed25519");
        } else {
            throw new KeyPairException("tls: unknown public key algorithm");
        }
        if (!matches) {
            throw new KeyPairException("tls: private key does not match public key");
        }
    }

    /** Go compares the public point with the one the private scalar gives. */
    private static boolean sameEcPoint(ECPublicKey pub, ECPrivateKey key) {
        try {
            ECPrivateKeyParameters params = (ECPrivateKeyParameters) ECUtil.generatePrivateKeyParameter(key);
            ECPoint q = params.getParameters().getG().multiply(params.getD()).normalize();
            BigInteger x = q.getAffineXCoord().toBigInteger();
            BigInteger y = q.getAffineYCoord().toBigInteger();
            return x.equals(pub.getW().getAffineX()) && y.equals(pub.getW().getAffineY());
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static boolean signs(PrivateKey key, PublicKey pub, String algorithm) {
        try {
            byte[] message = "ursa key pair check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(message);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(pub);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static KeyPairException typeMismatch() {
        return new KeyPairException("tls: private key type does not match public key type");
    }

    /** Go's {@code %v} of a string slice: {@code [A B]}. */
    private static String goList(List<String> items) {
        return "[" + String.join(" ", items) + "]";
    }

    static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** The pair is not usable; the message is Go's. */
    public static final class KeyPairException extends Exception {
        KeyPairException(String message) {
            super(message);
        }
    }
}
