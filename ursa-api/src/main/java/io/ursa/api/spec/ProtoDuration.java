package io.ursa.api.spec;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code google.protobuf.Duration} field. It is written the way Kuma's JSON marshaller writes it
 * ({@code "5s"}, {@code "3600s"}, {@code "0.025s"}) and read from that form or from Go's duration syntax
 * ({@code "1h"}, {@code "250ms"}, {@code "1h30m"}), which Kuma's documentation uses in examples.
 */
public record ProtoDuration(Duration value) {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");

    public ProtoDuration {
        requireNonNull(value, "value");
        if (value.isNegative()) {
            throw new IllegalArgumentException("invalid duration: " + value + " (expected: not negative)");
        }
    }

    public static ProtoDuration ofSeconds(long seconds) {
        return new ProtoDuration(Duration.ofSeconds(seconds));
    }

    public static ProtoDuration ofMillis(long millis) {
        return new ProtoDuration(Duration.ofMillis(millis));
    }

    @JsonCreator
    public static ProtoDuration parse(String text) {
        requireNonNull(text, "text");
        String s = text.trim();
        if (s.equals("0")) {
            return new ProtoDuration(Duration.ZERO);
        }
        Matcher m = PART.matcher(s);
        int pos = 0;
        BigDecimal nanos = BigDecimal.ZERO;
        while (pos < s.length()) {
            if (!m.find(pos) || m.start() != pos) {
                throw new IllegalArgumentException("invalid duration: \"" + text
                        + "\" (expected: e.g. \"5s\", \"0.025s\", \"250ms\", \"1h30m\")");
            }
            nanos = nanos.add(new BigDecimal(m.group(1)).multiply(unitNanos(m.group(2))));
            pos = m.end();
        }
        if (pos == 0) {
            throw new IllegalArgumentException("invalid duration: \"" + text + "\" (expected: e.g. \"5s\")");
        }
        BigDecimal[] parts = nanos.divideAndRemainder(BigDecimal.valueOf(1_000_000_000L));
        return new ProtoDuration(Duration.ofSeconds(parts[0].longValueExact(), parts[1].longValue()));
    }

    private static BigDecimal unitNanos(String unit) {
        return BigDecimal.valueOf(switch (unit) {
            case "ns" -> 1L;
            case "us", "µs", "μs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> throw new IllegalArgumentException("unknown unit: " + unit);
        });
    }

    /** Seconds with 0, 3, 6 or 9 fractional digits, as protobuf's JSON mapping prints them. */
    @JsonValue
    @Override
    public String toString() {
        long seconds = value.getSeconds();
        int nanos = value.getNano();
        if (nanos == 0) {
            return seconds + "s";
        }
        String frac;
        if (nanos % 1_000_000 == 0) {
            frac = String.format("%03d", nanos / 1_000_000);
        } else if (nanos % 1_000 == 0) {
            frac = String.format("%06d", nanos / 1_000);
        } else {
            frac = String.format("%09d", nanos);
        }
        return seconds + "." + frac + "s";
    }
}
