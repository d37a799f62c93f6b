package io.ursa.dp;

import java.util.Locale;
import java.util.logging.Level;

/** {@code --log-level} of the agent, as kuma-dp has it. Envoy's log level follows it unless set on its own. */
enum LogLevel {
    OFF(Level.OFF),
    INFO(Level.INFO),
    DEBUG(Level.FINE);

    private final Level julLevel;

    LogLevel(Level julLevel) {
        this.julLevel = julLevel;
    }

    Level julLevel() {
        return julLevel;
    }

    /** The same level in Envoy's vocabulary ({@code off}, {@code info}, {@code debug}). */
    String envoyName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
