package io.ursa.api.mesh;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/** The {@code conf} of a {@code tcp} logging backend ({@code TcpLoggingBackendConfig}): {@code host:port}. */
public record TcpLoggingConfig(String address) {
    public TcpLoggingConfig {
        Objects.requireNonNull(address, "address");
    }

    /** Reads {@code conf} (null reads as {@code {}}) the way Kuma's lenient unmarshal does. */
    public static TcpLoggingConfig parse(ObjectNode conf) throws ConfException {
        return new TcpLoggingConfig(ConfReader.of(conf).string("address"));
    }
}
