package io.ursa.api.mesh;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursa.api.spec.Lists;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** {@code metrics}: with {@code enabledBackend} set, every data plane proxy exposes Prometheus metrics. */
public record Metrics(String enabledBackend, List<Backend> backends) {
    public static final String PROMETHEUS = "prometheus";

    public Metrics {
        enabledBackend = Objects.requireNonNullElse(enabledBackend, "");
        backends = Lists.copyOf(backends);
    }

    /** The backend called {@code name}, if any. */
    public Optional<Backend> backend(String name) {
        return backends.stream().filter(b -> b.name().equals(name)).findFirst();
    }

    public Metrics withBackends(List<Backend> value) {
        return new Metrics(enabledBackend, value);
    }

    /**
     * One metrics backend ({@code MetricsBackend}, a shape a Dataplane's {@code metrics} field shares). For
     * {@code type: prometheus}, {@code conf} is a {@link PrometheusConfig}.
     */
    public record Backend(String name, String type, @JsonInclude(JsonInclude.Include.NON_NULL) ObjectNode conf) {
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

        public Backend withConf(ObjectNode value) {
            return new Backend(name, type, value);
        }
    }
}
