package io.ursa.ca;

import java.time.Duration;
import java.time.Instant;

/**
 * The end of a certificate's validity: {@code start + lifetime}, but never after 9999-12-31T23:59:59Z, the last
 * time X.509 can express (RFC 5280 §4.1.2.5). Kuma's durations saturate at {@code Long.MAX_VALUE} milliseconds, and
 * a lifetime of that size means "no expiry" rather than a date that cannot be encoded.
 */
final class CertificateTimes {
    static final Instant LATEST_NOT_AFTER = Instant.parse("9999-12-31T23:59:59Z");

    private CertificateTimes() {
    }

    static Instant notAfter(Instant start, Duration lifetime) {
        Duration room = Duration.between(start, LATEST_NOT_AFTER);
        return lifetime.compareTo(room) >= 0 ? LATEST_NOT_AFTER : start.plus(lifetime);
    }
}
