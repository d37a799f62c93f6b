package io.ursa.core.tokens;

/**
 * A zone proxy's zone token does not let it in: the message is the reason to report, in Kuma's words (Kuma 2.0's
 * {@code pkg/core/tokens/validator.go} and {@code pkg/xds/auth/universal/authenticator.go}), e.g.
 * {@code token is revoked} or {@code zone from requestor: east is different than in token: west}.
 */
public final class InvalidZoneTokenException extends Exception {
    InvalidZoneTokenException(String reason) {
        super(reason);
    }

    InvalidZoneTokenException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
