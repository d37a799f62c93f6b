package io.ursa.ctl;

/**
 * A usage mistake found by a command itself rather than by the parser: a flag value it cannot use, flags that do
 * not go together, a required flag missing in this case. Printed like any {@link CtlException}, but the command
 * exits with {@link ErrorHandlers#USAGE} (2), like an unknown flag, as in ursa-cp and ursa-dp.
 */
final class UsageException extends CtlException {
    UsageException(String message) {
        super(message);
    }
}
