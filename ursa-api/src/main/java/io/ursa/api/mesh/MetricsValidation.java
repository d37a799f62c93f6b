package io.ursa.api.mesh;

import io.ursa.api.validation.Path;
import io.ursa.api.validation.Violations;

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
        BackendChecks.Names names = new BackendChecks.Names();
        for (int i = 0; i < metrics.backends().size(); i++) {
            Metrics.Backend backend = metrics.backends().get(i);
            Path backendPath = path.field("backends").index(i);
            names.add(backend.name(), backendPath, violations);
            PrometheusConfig.validateBackend(backend, backendPath, violations);
        }
        names.checkReference(metrics.enabledBackend(), path.field("enabledBackend"),
                "has to be set to one of the backends in the mesh", violations);
    }
}
