package io.ursa.core.tokens;

/**
 * A user token the control plane does not accept. The message says why in a few words that never quote the
 * token: {@code expired (at ...)}, {@code not valid yet (valid from ...)}, {@code revoked}, {@code bad signature},
 * {@code malformed: ...} or {@code unknown signing key serial N}. REST: 401 {@code Invalid authentication data}.
 */
public final class InvalidUserTokenException extends Exception {
    InvalidUserTokenException(String reason) {
        super(reason);
    }

    InvalidUserTokenException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
