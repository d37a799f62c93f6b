package io.ursa.core.tokens;

/**
 * A proxy's dataplane token does not let it in: the message is the reason to show the user, in Kuma's words
 * where Kuma has them (spec §10.3), e.g. {@code token is revoked}.
 */
public final class InvalidDataplaneTokenException extends Exception {
    InvalidDataplaneTokenException(String reason) {
        super(reason);
    }

    InvalidDataplaneTokenException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
