package io.ursa.xds.server;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How long the DP server waits for a slow or silent client ({@code general.http.*}). The header timeout also
 * bounds the first bytes of a connection (before its protocol is known) and the TLS handshake.
 *
 * @param header request line and headers must arrive within this, else the connection is closed
 * @param body   the whole body must arrive within this after the headers
 * @param idle   a keep-alive HTTP/1.1 connection with nothing in flight is closed after this
 */
public record HttpTimeouts(Duration header, Duration body, Duration idle) {
    /** The defaults of {@code defaults.yaml}: 10s, 30s and 60s. */
    public static final HttpTimeouts DEFAULTS = new HttpTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofSeconds(60));

    public HttpTimeouts {
        positive("header", header);
        positive("body", body);
        positive("idle", idle);
    }

    private static void positive(String name, Duration value) {
        requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("invalid " + name + " timeout: " + value + " (expected: > 0)");
        }
    }
}
