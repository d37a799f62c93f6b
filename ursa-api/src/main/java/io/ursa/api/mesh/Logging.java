package io.ursa.api.mesh;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursa.api.spec.Lists;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** {@code logging}: access-log backends that TrafficLog policies write to. */
public record Logging(String defaultBackend, List<Backend> backends) {
    public static final String FILE = "file";
    public static final String TCP = "tcp";

    public Logging {
        defaultBackend = Objects.requireNonNullElse(defaultBackend, "");
        backends = Lists.copyOf(backends);
    }

    /** The backend called {@code name}, if any. */
    public Optional<Backend> backend(String name) {
        return backends.stream().filter(b -> b.name().equals(name)).findFirst();
    }

    /**
     * One logging backend. {@code format} is an Envoy access-log format with Kuma placeholders (empty means
     * Kuma's default format); {@code conf} is a {@link FileLoggingConfig} or {@link TcpLoggingConfig} by
     * {@code type}.
     */
    public record Backend(String name, String format, String type,
                          @JsonInclude(JsonInclude.Include.NON_NULL) ObjectNode conf) {
        public Backend {
            name = Objects.requireNonNullElse(name, "");
            format = Objects.requireNonNullElse(format, "");
            type = Objects.requireNonNullElse(type, "");
            conf = conf == null ? null : ConfNodes.canonicalCopy(conf);
        }

        /** A copy of {@code conf}; null when absent. */
        @Override
        public ObjectNode conf() {
            return conf == null ? null : conf.deepCopy();
        }
    }
}
