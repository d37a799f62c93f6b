package io.ursa.cp;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.ursa.core.config.ConfigException;
import java.util.Locale;
import java.util.Set;
import org.slf4j.LoggerFactory;

/** Applies {@code logging.level} to the root logger. */
final class LogLevel {
    private static final Set<String> LEVELS = Set.of("trace", "debug", "info", "warn", "error", "off");

    private LogLevel() {
    }

    static void apply(String level) {
        String normalized = level.toLowerCase(Locale.ROOT).trim();
        if (!LEVELS.contains(normalized)) {
            throw new ConfigException("invalid logging.level: " + level
                    + " (expected: trace, debug, info, warn, error or off)");
        }
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
            root.setLevel(Level.toLevel(normalized));
        }
    }
}
