package io.ursa.api.mesh;

import static java.util.Objects.requireNonNull;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kuma's own duration syntax ({@code ParseDuration} in {@code mesh_helpers.go}), used by
 * {@code dpCert.rotation.expiration} and the builtin CA's {@code caCert.expiration}: one unsigned integer and one
 * unit out of {@code y} (365 days), {@code w}, {@code d}, {@code h}, {@code m}, {@code s}, {@code ms}, or the
 * literal {@code 0}. Compound values ({@code 1h30m}), decimals, signs, spaces and the empty string are invalid.
 */
public final class KumaDuration {
    private static final Pattern SYNTAX = Pattern.compile("([0-9]+)(y|w|d|h|m|s|ms)");
    private static final BigInteger MAX_MILLIS = BigInteger.valueOf(Long.MAX_VALUE);

    private KumaDuration() {
    }

    /**
     * The duration {@code text} denotes, or empty when it is not in Kuma's syntax. Values beyond
     * {@code Long.MAX_VALUE} milliseconds saturate (Kuma's Go code silently wraps around instead).
     */
    public static Optional<Duration> parse(String text) {
        requireNonNull(text, "text");
        if (text.equals("0")) {
            return Optional.of(Duration.ZERO);
        }
        Matcher m = SYNTAX.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        BigInteger millis = new BigInteger(m.group(1)).multiply(BigInteger.valueOf(unitMillis(m.group(2))));
        return Optional.of(Duration.ofMillis(millis.min(MAX_MILLIS).longValueExact()));
    }

    private static long unitMillis(String unit) {
        return switch (unit) {
            case "y" -> Duration.ofDays(365).toMillis();
            case "w" -> Duration.ofDays(7).toMillis();
            case "d" -> Duration.ofDays(1).toMillis();
            case "h" -> Duration.ofHours(1).toMillis();
            case "m" -> Duration.ofMinutes(1).toMillis();
            case "s" -> 1000L;
            case "ms" -> 1L;
            default -> throw new IllegalStateException("unit not in the syntax: " + unit);
        };
    }
}
