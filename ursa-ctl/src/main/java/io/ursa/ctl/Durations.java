package io.ursa.ctl;

import io.ursa.api.spec.ProtoDuration;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Go duration syntax for flags ({@code --api-timeout 1m30s}), as kumactl takes it. */
final class Durations {
    private Durations() {
    }

    /** {@code 1m}, {@code 1m30s}, {@code 250ms}, {@code 0s}. */
    static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder out = new StringBuilder();
        long hours = d.toHours();
        long minutes = d.toMinutesPart();
        long seconds = d.toSecondsPart();
        long millis = d.toMillisPart();
        if (hours > 0) {
            out.append(hours).append('h');
        }
        if (minutes > 0) {
            out.append(minutes).append('m');
        }
        if (seconds > 0 || (millis > 0 && out.length() > 0)) {
            out.append(seconds);
            if (millis > 0) {
                out.append('.').append(String.format("%03d", millis).replaceAll("0+$", ""));
            }
            out.append('s');
        } else if (millis > 0) {
            out.append(millis).append("ms");
        }
        return out.length() == 0 ? d.toNanos() + "ns" : out.toString();
    }

    /** picocli converter for duration options. */
    static final class Converter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return ProtoDuration.parse(value).value();
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("invalid duration: \"" + value
                        + "\" (expected: e.g. 30s, 1m, 1m30s, 500ms; 0 for no timeout)");
            }
        }
    }
}
