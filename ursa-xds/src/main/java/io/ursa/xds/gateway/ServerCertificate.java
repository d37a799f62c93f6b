package io.ursa.xds.gateway;

import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A gateway listener's server certificate read from the PEM a data source holds (Kuma 2.0's {@code newServerSecret}
 * in {@code filter_chain_generator.go}): every {@code CERTIFICATE} block is the chain, exactly one
 * {@code PRIVATE KEY} block (PKCS#8, PKCS#1 RSA or SEC1 EC) is the key, whose algorithm names the secret
 * ({@code rsa} or {@code ecdsa}). Anything else is refused with Kuma's message.
 *
 * @param chainPem the certificate blocks, in order
 * @param keyPem the private key block
 * @param keyType {@code rsa} or {@code ecdsa}
 */
record ServerCertificate(String chainPem, String keyPem, String keyType) {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----");

    /** Why a data source is not a usable certificate and key. */
    static final class Unusable extends Exception {
        Unusable(String message) {
            super(message);
        }
    }

    static ServerCertificate parse(byte[] data) throws Unusable {
        String text = new String(data, StandardCharsets.UTF_8);
        Matcher blocks = BLOCK.matcher(text);
        List<String> certificates = new ArrayList<>();
        String key = null;
        String keyType = null;
        int index = 0;
        while (blocks.find()) {
            String type = blocks.group(1);
            if (type.endsWith("PRIVATE KEY")) {
                if (key != null) {
                    throw new Unusable("secret[" + index + "]: secret contains multiple private keys");
                }
                keyType = keyType(type, blocks.group(2), index);
                key = blocks.group() + "\n";
            } else if (type.endsWith("CERTIFICATE")) {
                certificates.add(blocks.group() + "\n");
            } else {
                throw new Unusable("secret[" + index + "]: unsupported PEM block \"" + type + "\"");
            }
            index++;
        }
        if (certificates.isEmpty()) {
            throw new Unusable("missing server certificate");
        }
        if (key == null) {
            throw new Unusable("missing private key");
        }
        return new ServerCertificate(String.join("", certificates), key, keyType);
    }

    private static String keyType(String pemType, String base64, int index) throws Unusable {
        if (pemType.equals("RSA PRIVATE KEY")) {
            return "rsa";
        }
        if (pemType.equals("EC PRIVATE KEY")) {
            return "ecdsa";
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new Unusable("secret[" + index + "]: " + e.getMessage());
        }
        for (String[] algorithm : new String[][] {{"RSA", "rsa"}, {"EC", "ecdsa"}}) {
            try {
                KeyFactory.getInstance(algorithm[0]).generatePrivate(new PKCS8EncodedKeySpec(der));
                return algorithm[1];
            } catch (java.security.GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new Unusable("secret[" + index + "]: unsupported private key type (expected: RSA or ECDSA)");
    }

    /** The SDS secret {@code name} with this chain and key inline (Kuma's {@code NewServerCertificateSecret}). */
    Secret secret(String name) {
        return Secret.newBuilder()
                .setName(name)
                .setTlsCertificate(TlsCertificate.newBuilder()
                        .setCertificateChain(DataSource.newBuilder().setInlineString(chainPem))
                        .setPrivateKey(DataSource.newBuilder().setInlineString(keyPem)))
                .build();
    }
}
