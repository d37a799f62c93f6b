package io.ursa.ctl;

/**
 * A failure the user can act on: a bad argument, an unreachable control plane, an error answer from it. The
 * message is printed as {@code Error: <message>} on stderr and the command exits with code 1 (2 for a
 * {@link UsageException}), without a stack trace. {@link UnauthorizedException} is the one kind a caller may want to tell apart.
 */
sealed class CtlException extends RuntimeException permits UnauthorizedException, UsageException {
    CtlException(String message) {
        super(message);
    }

    CtlException(String message, Throwable cause) {
        super(message, cause);
    }
}
