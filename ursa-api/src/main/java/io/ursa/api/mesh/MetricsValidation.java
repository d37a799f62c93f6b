package io.ursa.api.mesh;

import io.ursa.api.validation.Path;
import io.ursa.api.validation.Violations;
import java.util.HashSet;
import java.util.Set;

/**
 * The {@code metrics} rules of Kuma 2.0's {@code validateMetrics}. Unlike logging and tracing, the duplicate
 * name check runs before the type check, and the conf path is {@code conf}.
 */
final class MetricsValidation {
    private MetricsValidation() {
    }

    static void validate(Metrics metrics, Path path, Violations violations) {
        if (metrics == null) {
            return;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < metrics.backends().size(); i++) {
            Metrics.Backend backend = metrics.backends().get(i);
            Path backendPath = path.field("backends").index(i);
            if (names.contains(backend.name())) {
                violations.add(backendPath.field("name"),
                        GoQuote.quote(backend.name()) + " name is already used for another backend");
            }
            if (!backend.type().equals(Metrics.PROMETHEUS)) {
                violations.add(backendPath.field("type"),
                        "unknown backend type. Available backends: " + GoQuote.quote(Metrics.PROMETHEUS));
            } else {
                PrometheusConfig.validate(backend.conf(), backendPath.field("conf"), violations);
            }
            names.add(backend.name());
        }
        if (!metrics.enabledBackend().isEmpty() && !names.contains(metrics.enabledBackend())) {
            violations.add(path.field("enabledBackend"), "has to be set to one of the backends in the mesh");
        }
    }
}
