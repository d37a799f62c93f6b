package io.ursa.api.mesh;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/** The {@code conf} of a {@code file} logging backend ({@code FileLoggingBackendConfig}). */
public record FileLoggingConfig(String path) {
    public FileLoggingConfig {
        Objects.requireNonNull(path, "path");
    }

    /** Reads {@code conf} (null reads as {@code {}}) the way Kuma's lenient unmarshal does. */
    public static FileLoggingConfig parse(ObjectNode conf) throws ConfException {
        return new FileLoggingConfig(ConfReader.of(conf).string("path"));
    }
}
