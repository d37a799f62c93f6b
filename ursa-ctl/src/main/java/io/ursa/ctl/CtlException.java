package io.ursa.ctl;

/**
 * A failure the user can act on: a bad argument, an unreachable control plane, an error answer from it. The
 * message is printed as {@code Error: <message>} on stderr and the command exits with code 1, without a stack
 * trace.
 */
final class CtlException extends RuntimeException {
    CtlException(String message) {
        super(message);
    }

    CtlException(String message, Throwable cause) {
        super(message, cause);
    }
}
