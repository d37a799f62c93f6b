package io.ursa.core.ca;

import static java.util.Objects.requireNonNull;

/**
 * The certificate and key a mesh's CA signs proxy certificates with, as PEM: {@code certificateChainPem} is the
 * CA certificate, optionally followed by the rest of its chain; {@code keyPem} is its private key. The arrays are
 * not copied; callers must not modify them. {@link #toString()} never shows the key.
 */
public record CaKeyPair(byte[] certificateChainPem, byte[] keyPem) {
    public CaKeyPair {
        requireNonNull(certificateChainPem, "certificateChainPem");
        requireNonNull(keyPem, "keyPem");
    }

    @Override
    public String toString() {
        return "CaKeyPair[certificateChainPem=" + certificateChainPem.length + " bytes, keyPem=<redacted>]";
    }
}
