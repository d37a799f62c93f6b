package io.ursa.api.mesh;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursa.api.spec.Lists;
import io.ursa.api.spec.SortedMaps;
import io.ursa.api.validation.Path;
import io.ursa.api.validation.Violations;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code conf} of a {@code prometheus} metrics backend ({@code PrometheusMetricsBackendConfig}), read from
 * its free-form JSON. After {@link MeshDefaulter} ran, {@code port}, {@code path} and {@code tags} are set.
 *
 * @param port scrape port (uint32; 0 = unset)
 * @param tags tags of the synthetic inbound the metrics listener represents
 * @param skipMTLS unset counts as false
 * @param envoy empty when absent
 */
public record PrometheusConfig(long port, String path, Map<String, String> tags, Optional<Boolean> skipMTLS,
                               List<Aggregate> aggregate, Optional<Envoy> envoy) {
    public static final int DEFAULT_PORT = 5670;
    public static final String DEFAULT_PATH = "/metrics";
    public static final Map<String, String> DEFAULT_TAGS = Map.of("kuma.io/service", "dataplane-metrics");

    public PrometheusConfig {
        Objects.requireNonNull(path, "path");
        tags = SortedMaps.copyOf(tags);
        Objects.requireNonNull(skipMTLS, "skipMTLS");
        aggregate = Lists.copyOf(aggregate);
        Objects.requireNonNull(envoy, "envoy");
    }

    /** Reads {@code conf} (null reads as {@code {}}) the way Kuma's lenient unmarshal does. */
    public static PrometheusConfig parse(ObjectNode conf) throws ConfException {
        ConfReader r = ConfReader.of(conf);
        List<Aggregate> aggregates = new ArrayList<>();
        for (ConfReader a : r.objects("aggregate")) {
            aggregates.add(new Aggregate(a.string("name"), a.uint32("port"), a.string("path"),
                    a.boolWrapper("enabled"), a.string("address")));
        }
        Optional<ConfReader> envoyConf = r.object("envoy");
        Optional<Envoy> envoy = Optional.empty();
        if (envoyConf.isPresent()) {
            envoy = Optional.of(new Envoy(envoyConf.get().string("filterRegex"),
                    envoyConf.get().boolWrapper("usedOnly")));
        }
        return new PrometheusConfig(r.uint32("port"), r.string("path"), r.stringMap("tags"),
                r.boolWrapper("skipMTLS"), aggregates, envoy);
    }

    /**
     * Kuma's checks of one metrics backend, shared by the Mesh's {@code metrics.backends[i]} and a Dataplane's
     * {@code metrics} override: {@code type} must be {@code prometheus}, and then its {@code conf} must pass
     * {@link #validate}. Violations are added under {@code backendPath}, e.g. {@code metrics.type}.
     */
    public static void validateBackend(Metrics.Backend backend, Path backendPath, Violations violations) {
        Objects.requireNonNull(backend, "backend");
        if (!backend.type().equals(Metrics.PROMETHEUS)) {
            violations.add(backendPath.field("type"),
                    "unknown backend type. Available backends: " + GoQuote.quote(Metrics.PROMETHEUS));
        } else {
            validate(backend.conf(), backendPath.field("conf"), violations);
        }
    }

    /**
     * Kuma's {@code validatePrometheusConfig}: {@code conf} (null reads as {@code {}}) must parse (else
     * {@code could not parse config} on {@code confPath}), {@code envoy.filterRegex} must be a valid RE2 pattern
     * (see {@link FilterRegex}), and aggregate names must be unique. Violations are added under {@code confPath},
     * e.g. {@code metrics.backends[0].conf}.
     */
    public static void validate(ObjectNode conf, Path confPath, Violations violations) {
        Objects.requireNonNull(confPath, "confPath");
        Objects.requireNonNull(violations, "violations");
        BackendChecks.parseConf(PrometheusConfig::parse, conf, confPath, violations)
                .ifPresent(config -> validateParsed(config, confPath, violations));
    }

    private static void validateParsed(PrometheusConfig config, Path confPath, Violations violations) {
        String filterRegex = config.envoy().map(Envoy::filterRegex).orElse("");
        Optional<String> regexError = FilterRegex.check(filterRegex);
        if (regexError.isPresent()) {
            violations.add(confPath.field("envoy").field("filterRegex"),
                    "provided regexp isn't correct: " + regexError.get());
            return;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < config.aggregate().size(); i++) {
            String name = config.aggregate().get(i).name();
            if (!names.add(name)) {
                violations.add(confPath.field("aggregate").index(i).field("name"),
                        "duplicate entry: " + name + ", values have to be unique");
            }
        }
    }

    /**
     * An application endpoint kuma-dp scrapes and merges into its own metrics output.
     *
     * @param enabled unset counts as true
     * @param address [Kuma 2.1] defaults to the proxy's address
     */
    public record Aggregate(String name, long port, String path, Optional<Boolean> enabled, String address) {
        public Aggregate {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(enabled, "enabled");
            Objects.requireNonNull(address, "address");
        }
    }

    /** {@code envoy}: the stats query kuma-dp sends Envoy ({@code filter=} and {@code usedonly}). */
    public record Envoy(String filterRegex, Optional<Boolean> usedOnly) {
        public Envoy {
            Objects.requireNonNull(filterRegex, "filterRegex");
            Objects.requireNonNull(usedOnly, "usedOnly");
        }
    }
}
