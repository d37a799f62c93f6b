package io.ursa.api.mesh;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code conf} of a {@code zipkin} tracing backend ({@code ZipkinTracingBackendConfig}).
 *
 * @param apiVersion {@code httpJsonV1}, {@code httpJson}, {@code httpProto}, or empty to let Envoy choose
 * @param sharedSpanContext unset means Envoy's default (true)
 */
public record ZipkinConfig(String url, boolean traceId128bit, String apiVersion,
                           Optional<Boolean> sharedSpanContext) {
    public ZipkinConfig {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(sharedSpanContext, "sharedSpanContext");
    }

    /** Reads {@code conf} (null reads as {@code {}}) the way Kuma's lenient unmarshal does. */
    public static ZipkinConfig parse(ObjectNode conf) throws ConfException {
        ConfReader r = ConfReader.of(conf);
        return new ZipkinConfig(r.string("url"), r.bool("traceId128bit"), r.string("apiVersion"),
                r.boolWrapper("sharedSpanContext"));
    }
}
