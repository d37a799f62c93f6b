package io.ursa.api.spec;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The values of the {@code kuma.io/protocol} tag. */
public final class Protocols {
    public static final String TCP = "tcp";
    public static final String HTTP = "http";
    public static final String HTTP2 = "http2";
    public static final String GRPC = "grpc";
    public static final String KAFKA = "kafka";
    /** In the order Kuma lists them to users. */
    public static final List<String> SUPPORTED = List.of(GRPC, HTTP, HTTP2, KAFKA, TCP);

    private Protocols() {
    }

    /** The protocol a tag value names, ignoring case, or empty when Kuma does not know it. */
    public static Optional<String> parse(String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        return SUPPORTED.contains(lower) ? Optional.of(lower) : Optional.empty();
    }
}
