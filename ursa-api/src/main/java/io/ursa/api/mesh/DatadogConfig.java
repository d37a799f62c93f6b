package io.ursa.api.mesh;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * The {@code conf} of a {@code datadog} tracing backend ({@code DatadogTracingBackendConfig}).
 *
 * @param port uint32; validation keeps it in 1-65535
 */
public record DatadogConfig(String address, long port, boolean splitService) {
    public DatadogConfig {
        Objects.requireNonNull(address, "address");
    }

    /** Reads {@code conf} (null reads as {@code {}}) the way Kuma's lenient unmarshal does. */
    public static DatadogConfig parse(ObjectNode conf) throws ConfException {
        ConfReader r = ConfReader.of(conf);
        return new DatadogConfig(r.string("address"), r.uint32("port"), r.bool("splitService"));
    }
}
