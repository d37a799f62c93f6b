package io.ursa.api.dataplane;

import io.ursa.api.mesh.ConfException;
import io.ursa.api.mesh.Metrics;
import io.ursa.api.mesh.PrometheusConfig;
import io.ursa.api.validation.Path;
import io.ursa.api.validation.Violations;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** A Dataplane's {@code metrics} override of the Mesh's backend: Kuma's {@code validateMetricsBackend}. */
final class MetricsOverrideValidation {
    private MetricsOverrideValidation() {
    }

    static void validate(Metrics.Backend metrics, Violations violations) {
        Path path = Path.of("metrics");
        if (!metrics.type().equals(Metrics.PROMETHEUS)) {
            violations.add(path.field("type"),
                    "unknown backend type. Available backends: \"" + Metrics.PROMETHEUS + "\"");
        } else {
            validatePrometheusConf(path.field("conf"), metrics, violations);
        }
    }

    /**
     * Kuma's {@code validatePrometheusConfig}. The Mesh's backend validation has the same rules (with an RE2-exact
     * regex check) but does not expose them yet; this copy checks the regex with Java's syntax.
     */
    private static void validatePrometheusConf(Path path, Metrics.Backend metrics, Violations violations) {
        PrometheusConfig config;
        try {
            config = PrometheusConfig.parse(metrics.conf());
        } catch (ConfException e) {
            violations.add(path, "could not parse config: " + e.getMessage());
            return;
        }
        String filterRegex = config.envoy().map(PrometheusConfig.Envoy::filterRegex).orElse("");
        try {
            Pattern.compile(filterRegex);
        } catch (PatternSyntaxException e) {
            violations.add(path.field("envoy").field("filterRegex"),
                    "provided regexp isn't correct: " + e.getDescription());
            return;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < config.aggregate().size(); i++) {
            String name = config.aggregate().get(i).name();
            if (!names.add(name)) {
                violations.add(path.field("aggregate").index(i).field("name"),
                        "duplicate entry: " + name + ", values have to be unique");
            }
        }
    }
}
