package io.ursa.api.mesh;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Kuma's Mesh defaulting ({@code MeshResource.Default()}, 2.0), run on every create and update before
 * validation: each {@code prometheus} metrics backend gets {@code port} 5670, {@code path} {@code /metrics} and
 * {@code tags} {@code {kuma.io/service: dataplane-metrics}} written into its {@code conf} where they are unset
 * (zero, empty). Nothing else is written: passthrough, STRICT mode and the 24h certificate lifetime are defaults
 * applied when the values are read.
 */
public final class MeshDefaulter {
    private MeshDefaulter() {
    }

    public static MeshSpec apply(MeshSpec spec) {
        Metrics metrics = spec.metrics();
        if (metrics == null || metrics.backends().stream().noneMatch(b -> b.type().equals(Metrics.PROMETHEUS))) {
            return spec;
        }
        List<Metrics.Backend> backends = new ArrayList<>(metrics.backends().size());
        for (Metrics.Backend backend : metrics.backends()) {
            backends.add(backend.type().equals(Metrics.PROMETHEUS) ? withPrometheusDefaults(backend) : backend);
        }
        return spec.withMetrics(metrics.withBackends(backends));
    }

    /**
     * Kuma fails the whole request when a prometheus {@code conf} does not parse; here such a backend is left as
     * it is, and validation then reports {@code could not parse config} on its field.
     */
    private static Metrics.Backend withPrometheusDefaults(Metrics.Backend backend) {
        PrometheusConfig config;
        try {
            config = PrometheusConfig.parse(backend.conf());
        } catch (ConfException e) {
            return backend;
        }
        ObjectNode conf = backend.conf() == null ? ConfNodes.emptyObject() : backend.conf();
        if (config.port() == 0) {
            conf.put("port", PrometheusConfig.DEFAULT_PORT);
        }
        if (config.path().isEmpty()) {
            conf.put("path", PrometheusConfig.DEFAULT_PATH);
        }
        if (config.tags().isEmpty()) {
            ObjectNode tags = conf.putObject("tags");
            PrometheusConfig.DEFAULT_TAGS.forEach(tags::put);
        }
        return backend.withConf(conf);
    }
}
