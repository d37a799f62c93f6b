package io.ursa.dp;

import java.util.function.IntSupplier;

/**
 * Where {@code run} registers what to do on SIGTERM/SIGINT. In production this is a JVM shutdown hook; tests keep
 * the action and call it themselves instead of signalling their own JVM.
 */
@FunctionalInterface
interface ShutdownHooks {
    /**
     * Registers {@code stop}: it stops the agent and returns the exit code the process should end with, or a
     * negative number when the agent had already finished on its own (then the exit code is left alone).
     */
    void onSignal(IntSupplier stop);

    /**
     * A JVM shutdown hook. After a stop it halts the JVM with the agent's exit code: without that, a JVM ended by
     * SIGTERM exits with 143 even when Envoy was stopped cleanly.
     */
    static ShutdownHooks jvm() {
        return stop -> Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            int code = stop.getAsInt();
            if (code >= 0) {
                System.out.flush();
                System.err.flush();
                Runtime.getRuntime().halt(code);
            }
        }, "ursa-dp-shutdown"));
    }
}
