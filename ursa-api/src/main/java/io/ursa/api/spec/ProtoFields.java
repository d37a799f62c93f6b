package io.ursa.api.spec;

import java.util.List;

/** Normalisations for record constructors that mirror how protobuf reads JSON. */
public final class ProtoFields {
    private ProtoFields() {
    }

    /** A proto3 string: absent or null reads as {@code ""}. */
    public static String text(String value) {
        return value == null ? "" : value;
    }

    /** A {@code uint32}/{@code uint64} field: rejects negative numbers, which protobuf cannot hold. */
    public static long unsigned(String field, long value) {
        if (value < 0) {
            throw new IllegalArgumentException("invalid " + field + ": " + value + " (expected: 0 or more)");
        }
        return value;
    }

    /** Like {@link #unsigned(String, long)} for an {@code int} field. */
    public static int unsigned(String field, int value) {
        unsigned(field, (long) value);
        return value;
    }

    /** A {@code UInt32Value} wrapper: null (unset) stays null, negative numbers are rejected. */
    public static Integer unsigned(String field, Integer value) {
        if (value != null) {
            unsigned(field, value.longValue());
        }
        return value;
    }

    /** A {@code UInt32Value} held as a {@code Long} (values above 2^31 - 1): null stays null, negatives rejected. */
    public static Long unsigned(String field, Long value) {
        if (value != null) {
            unsigned(field, value.longValue());
        }
        return value;
    }

    /** A repeated {@code uint32} or {@code UInt32Value}: copied, negative numbers rejected. */
    public static List<Integer> unsigned(String field, List<Integer> values) {
        List<Integer> copy = Lists.copyOf(values);
        copy.forEach(v -> unsigned(field, v.longValue()));
        return copy;
    }

    /**
     * A {@code oneof}: at most one of {@code values} may be set. {@code names} lists the members in the same
     * order, comma-separated, for the message.
     */
    public static void atMostOne(String names, Object... values) {
        int set = 0;
        for (Object v : values) {
            if (v != null) {
                set++;
            }
        }
        if (set > 1) {
            throw new IllegalArgumentException("only one of " + names + " can be set, got " + set);
        }
    }
}
