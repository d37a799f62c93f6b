package io.ursa.dp;

/**
 * A failure the user can act on: bad input, an unreachable or refusing control plane, an Envoy that will not run.
 * Its message is printed as one {@code Error: ...} line (more lines only for lists such as violations) and the
 * agent exits with a non-zero code.
 */
final class DpException extends RuntimeException {
    DpException(String message) {
        super(message);
    }

    DpException(String message, Throwable cause) {
        super(message, cause);
    }
}
