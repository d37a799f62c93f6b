package io.ursa.api.mesh;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursa.api.spec.Lists;
import io.ursa.api.spec.ProtoDoubleSerializer;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** {@code tracing}: backends that TrafficTrace policies send spans to. */
public record Tracing(String defaultBackend, List<Backend> backends) {
    public static final String ZIPKIN = "zipkin";
    public static final String DATADOG = "datadog";

    public Tracing {
        defaultBackend = Objects.requireNonNullElse(defaultBackend, "");
        backends = Lists.copyOf(backends);
    }

    /** The backend called {@code name}, if any. */
    public Optional<Backend> backend(String name) {
        return backends.stream().filter(b -> b.name().equals(name)).findFirst();
    }

    /**
     * One tracing backend. {@code sampling} is a percentage (a {@code DoubleValue}: null when unset, which
     * Envoy treats as 100; written like Go writes it, {@code 100} rather than {@code 100.0}). {@code conf} is a
     * {@link ZipkinConfig} or {@link DatadogConfig} by {@code type}.
     */
    public record Backend(String name,
                          @JsonInclude(JsonInclude.Include.NON_NULL) @JsonSerialize(using = ProtoDoubleSerializer.class)
                          Double sampling,
                          String type,
                          @JsonInclude(JsonInclude.Include.NON_NULL) ObjectNode conf) {
        public Backend {
            name = Objects.requireNonNullElse(name, "");
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
