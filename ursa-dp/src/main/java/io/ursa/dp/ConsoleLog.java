package io.ursa.dp;

import java.io.PrintWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The agent's log: one human-readable line per event on stderr ({@code 2024-05-01T10:00:00.123Z INFO  message}),
 * through a java.util.logging logger of its own (never the global one), so tests can give it their own stream.
 */
final class ConsoleLog {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private ConsoleLog() {
    }

    static Logger create(PrintWriter out, LogLevel level) {
        Logger logger = Logger.getAnonymousLogger();
        logger.setUseParentHandlers(false);
        logger.setLevel(level.julLevel());
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (isLoggable(record)) {
                    synchronized (out) {
                        out.println(format(record));
                        out.flush();
                    }
                }
            }

            @Override
            public void flush() {
                out.flush();
            }

            @Override
            public void close() {
                out.flush();
            }
        };
        handler.setLevel(Level.ALL);
        logger.addHandler(handler);
        return logger;
    }

    static String format(LogRecord record) {
        StringBuilder line = new StringBuilder()
                .append(TIME.format(record.getInstant()))
                .append(' ')
                .append(String.format("%-5s", label(record.getLevel())))
                .append(' ')
                .append(record.getMessage());
        if (record.getThrown() != null) {
            line.append(" (").append(record.getThrown()).append(')');
        }
        return line.toString();
    }

    private static String label(Level level) {
        if (level.intValue() >= Level.SEVERE.intValue()) {
            return "ERROR";
        }
        if (level.intValue() >= Level.WARNING.intValue()) {
            return "WARN";
        }
        if (level.intValue() >= Level.INFO.intValue()) {
            return "INFO";
        }
        return "DEBUG";
    }
}
