package io.ursa.xds.context;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A proxy's identity certificate, issued by its mesh's CA for the proxy alone. {@link #toString()} never shows
 * the key.
 *
 * @param certificatePem the certificate (PEM), with the proxy's SPIFFE and {@code kuma://} URI SANs
 * @param privateKeyPem  its private key (PEM, PKCS#8)
 * @param caFingerprint  the fingerprint of the CA that signed it
 * @param issuedAt       when it was issued
 * @param notAfter       when it expires
 */
public record ProxyIdentity(String certificatePem, String privateKeyPem, String caFingerprint, Instant issuedAt,
                            Instant notAfter) {
    public ProxyIdentity {
        requireNonNull(certificatePem, "certificatePem");
        requireNonNull(privateKeyPem, "privateKeyPem");
        requireNonNull(caFingerprint, "caFingerprint");
        requireNonNull(issuedAt, "issuedAt");
        requireNonNull(notAfter, "notAfter");
    }

    @Override
    public String toString() {
        return "ProxyIdentity[caFingerprint=" + caFingerprint + ", issuedAt=" + issuedAt + ", notAfter=" + notAfter
                + ", privateKeyPem=<redacted>]";
    }
}
