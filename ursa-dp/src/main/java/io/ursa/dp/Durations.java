package io.ursa.dp;

import io.ursa.api.spec.ProtoDuration;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Go duration syntax ({@code 30s}, {@code 1m30s}, {@code 500ms}) for flags and environment variables. */
final class Durations {
    static final String EXPECTED = "expected: a duration such as 30s, 5m or 1m30s";

    private Durations() {
    }

    /** Parses {@code text}; throws {@link IllegalArgumentException} naming what was expected. */
    static Duration parse(String text) {
        try {
            return ProtoDuration.parse(text).value();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid duration: \"" + text + "\" (" + EXPECTED + ")", e);
        }
    }

    /** Short human form for log lines: {@code 3s}, {@code 5m}, {@code 250ms}, {@code 1.5s}. */
    static String format(Duration d) {
        long millis = d.toMillis();
        if (millis % 60_000 == 0 && millis >= 60_000) {
            return millis / 60_000 + "m";
        }
        if (millis % 1000 == 0 && millis > 0) {
            return millis / 1000 + "s";
        }
        if (millis < 1000) {
            return millis + "ms";
        }
        return millis / 1000.0 + "s";
    }

    /** picocli converter for duration flags. */
    static final class Converter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
