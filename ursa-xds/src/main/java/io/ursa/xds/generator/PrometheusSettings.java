package io.ursa.xds.generator;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.mesh.ConfException;
import io.ursa.api.mesh.MeshSpec;
import io.ursa.api.mesh.Metrics;
import io.ursa.api.mesh.PrometheusConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The Prometheus settings in effect for one Dataplane (mesh-spec §7.1, Kuma's
 * {@code DataplaneResource.GetPrometheusConfig}): the conf of the Mesh's enabled {@code prometheus} backend, with
 * the Dataplane's own {@code metrics} (when its type is {@code prometheus}) merged over it the way protobuf merges
 * messages: a set scalar or wrapper of the Dataplane wins, {@code tags} are merged key by key, {@code envoy} field
 * by field, and {@code aggregate} entries by name (the Dataplane's entry replaces the Mesh's in place; its other
 * entries follow, in its order). Defaults fill what is still unset: port 5670, path {@code /metrics}, tags
 * {@code {kuma.io/service: dataplane-metrics}}.
 *
 * @param filterRegex {@code envoy.filterRegex}, empty when unset
 * @param usedOnly    {@code envoy.usedOnly}; unset counts as false
 */
record PrometheusSettings(int port, String path, Map<String, String> tags, boolean skipMtls,
                          List<PrometheusConfig.Aggregate> aggregate, String filterRegex, boolean usedOnly) {

    PrometheusSettings {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("invalid Prometheus port: " + port + " (expected: 1-65535)");
        }
        requireNonNull(path, "path");
        tags = Map.copyOf(tags);
        aggregate = List.copyOf(aggregate);
        requireNonNull(filterRegex, "filterRegex");
    }

    /**
     * The settings of {@code dataplane} in {@code mesh}; empty when the Mesh has no enabled {@code prometheus}
     * backend (a Dataplane's {@code metrics} alone turns nothing on).
     *
     * @throws IllegalArgumentException when a conf does not parse (validation keeps this from happening)
     */
    static Optional<PrometheusSettings> of(MeshSpec mesh, DataplaneSpec dataplane) {
        Optional<Metrics.Backend> backend = mesh.enabledMetricsBackend()
                .filter(b -> b.type().equals(Metrics.PROMETHEUS));
        if (backend.isEmpty()) {
            return Optional.empty();
        }
        PrometheusConfig merged = parse(backend.get().conf(), "the Mesh's metrics backend " + backend.get().name());
        Metrics.Backend override = dataplane.metrics();
        if (override != null && override.type().equals(Metrics.PROMETHEUS)) {
            merged = merge(merged, parse(override.conf(), "the Dataplane's metrics"));
        }
        return Optional.of(new PrometheusSettings(
                merged.port() == 0 ? PrometheusConfig.DEFAULT_PORT : checkedPort(merged.port()),
                merged.path().isEmpty() ? PrometheusConfig.DEFAULT_PATH : merged.path(),
                merged.tags().isEmpty() ? PrometheusConfig.DEFAULT_TAGS : merged.tags(),
                merged.skipMTLS().orElse(false),
                merged.aggregate(),
                merged.envoy().map(PrometheusConfig.Envoy::filterRegex).orElse(""),
                merged.envoy().flatMap(PrometheusConfig.Envoy::usedOnly).orElse(false)));
    }

    /**
     * The query Envoy's stats are asked for with: {@code ?filter=<regex>}, {@code ?usedonly},
     * {@code ?filter=<regex>&usedonly}, or empty. The regex is passed as written (as Kuma does); {@code usedonly}
     * has no value.
     */
    String statsQuery() {
        List<String> parameters = new ArrayList<>();
        if (!filterRegex.isEmpty()) {
            parameters.add("filter=" + filterRegex);
        }
        if (usedOnly) {
            parameters.add("usedonly");
        }
        return parameters.isEmpty() ? "" : "?" + String.join("&", parameters);
    }

    private static PrometheusConfig merge(PrometheusConfig mesh, PrometheusConfig dataplane) {
        Map<String, String> tags = new TreeMap<>(mesh.tags());
        tags.putAll(dataplane.tags());
        Optional<PrometheusConfig.Envoy> envoy = mesh.envoy();
        if (dataplane.envoy().isPresent()) {
            PrometheusConfig.Envoy over = dataplane.envoy().get();
            PrometheusConfig.Envoy base = mesh.envoy().orElse(new PrometheusConfig.Envoy("", Optional.empty()));
            envoy = Optional.of(new PrometheusConfig.Envoy(
                    over.filterRegex().isEmpty() ? base.filterRegex() : over.filterRegex(),
                    over.usedOnly().or(base::usedOnly)));
        }
        return new PrometheusConfig(
                dataplane.port() != 0 ? dataplane.port() : mesh.port(),
                dataplane.path().isEmpty() ? mesh.path() : dataplane.path(),
                tags,
                dataplane.skipMTLS().or(mesh::skipMTLS),
                mergeAggregates(mesh.aggregate(), dataplane.aggregate()),
                envoy);
    }

    private static List<PrometheusConfig.Aggregate> mergeAggregates(List<PrometheusConfig.Aggregate> mesh,
                                                                    List<PrometheusConfig.Aggregate> dataplane) {
        Map<String, PrometheusConfig.Aggregate> byName = new LinkedHashMap<>();
        mesh.forEach(a -> byName.put(a.name(), a));
        dataplane.forEach(a -> byName.put(a.name(), a));
        return List.copyOf(byName.values());
    }

    private static PrometheusConfig parse(ObjectNode conf, String what) {
        try {
            return PrometheusConfig.parse(conf);
        } catch (ConfException e) {
            throw new IllegalArgumentException("invalid conf of " + what + ": " + e.getMessage(), e);
        }
    }

    private static int checkedPort(long port) {
        if (port > 65535) {
            throw new IllegalArgumentException("invalid Prometheus port: " + port + " (expected: 1-65535)");
        }
        return (int) port;
    }
}
