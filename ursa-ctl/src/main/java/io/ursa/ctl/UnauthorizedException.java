package io.ursa.ctl;

import static java.util.Objects.requireNonNull;

/**
 * A 401 from the control plane: the token was refused (expired, revoked, badly signed, ...) or one is required.
 * The message says what to do about a stored control plane; {@code config control-planes add}, which has no
 * stored control plane yet, words its own from {@link #reason()}.
 */
final class UnauthorizedException extends CtlException {
    private final String reason;

    UnauthorizedException(String message, String reason) {
        super(message);
        this.reason = requireNonNull(reason, "reason");
    }

    /** The control plane's reason ({@code details} of its error JSON), never the token. */
    String reason() {
        return reason;
    }
}
