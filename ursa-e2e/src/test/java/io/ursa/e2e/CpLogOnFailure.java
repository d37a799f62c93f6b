package io.ursa.e2e;

import static java.util.Objects.requireNonNull;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Attaches the tail of the control plane's log to whatever fails a test or its setup, so a failure in CI shows
 * what the control plane said (refused proxies, NACKs, deregistrations) next to the assertion.
 */
final class CpLogOnFailure implements TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {
    private static final int LINES = 60;

    private final Supplier<CpProcess> cp;

    CpLogOnFailure(Supplier<CpProcess> cp) {
        this.cp = requireNonNull(cp, "cp");
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw withLog(throwable);
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        throw withLog(throwable);
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        throw withLog(throwable);
    }

    private Throwable withLog(Throwable throwable) {
        CpProcess process = cp.get();
        if (process != null) {
            throwable.addSuppressed(new CpLog("last " + LINES + " lines of the ursa-cp log:\n"
                    + process.tail(LINES)));
        }
        return throwable;
    }

    /** The log, as a suppressed exception without a stack trace of its own. */
    private static final class CpLog extends Exception {
        CpLog(String message) {
            super(message, null, false, false);
        }
    }
}
