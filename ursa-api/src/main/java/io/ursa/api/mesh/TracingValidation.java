package io.ursa.api.mesh;

import io.ursa.api.spec.FieldRules;
import io.ursa.api.spec.RequestUris;
import io.ursa.api.validation.Path;
import io.ursa.api.validation.Violations;
import java.util.Set;

/** The {@code tracing} rules of Kuma 2.0's {@code validateTracing}; note the {@code config} (not conf) paths. */
final class TracingValidation {
    private static final Set<String> ZIPKIN_API_VERSIONS = Set.of("httpJsonV1", "httpJson", "httpProto");

    private TracingValidation() {
    }

    static void validate(Tracing tracing, Path path, Violations violations) {
        if (tracing == null) {
            return;
        }
        BackendChecks.Names names = new BackendChecks.Names();
        for (int i = 0; i < tracing.backends().size(); i++) {
            Tracing.Backend backend = tracing.backends().get(i);
            Path backendPath = path.field("backends").index(i);
            validateBackend(backend, backendPath, violations);
            names.add(backend.name(), backendPath, violations);
        }
        names.checkReference(tracing.defaultBackend(), path.field("defaultBackend"),
                "has to be set to one of the tracing backend in mesh", violations);
    }

    private static void validateBackend(Tracing.Backend backend, Path path, Violations violations) {
        if (backend.name().isEmpty()) {
            violations.add(path.field("name"), "cannot be empty");
        }
        double sampling = backend.sampling() == null ? 0.0 : backend.sampling();
        if (sampling < 0.0 || sampling > 100.0) {
            violations.add(path.field("sampling"), "has to be in [0.0 - 100.0] range");
        }
        Path config = path.field("config");
        switch (backend.type()) {
            case Tracing.ZIPKIN -> BackendChecks.parseConf(ZipkinConfig::parse, backend.conf(), config, violations)
                    .ifPresent(zipkin -> validateZipkin(zipkin, config, violations));
            case Tracing.DATADOG -> BackendChecks.parseConf(DatadogConfig::parse, backend.conf(), config, violations)
                    .ifPresent(datadog -> validateDatadog(datadog, config, violations));
            default -> violations.add(path.field("type"), "unknown backend type. Available backends: "
                    + GoQuote.quote(Tracing.ZIPKIN) + ", " + GoQuote.quote(Tracing.DATADOG));
        }
    }

    private static void validateZipkin(ZipkinConfig zipkin, Path config, Violations violations) {
        if (!zipkin.apiVersion().isEmpty() && !ZIPKIN_API_VERSIONS.contains(zipkin.apiVersion())) {
            violations.add(config.field("apiVersion"),
                    "has invalid value. Allowed values: httpJsonV1, httpJson, httpProto");
        }
        if (zipkin.url().isEmpty()) {
            violations.add(config.field("url"), "cannot be empty");
            return;
        }
        RequestUris.port(zipkin.url()).ifPresentOrElse(port -> {
            if (port.isEmpty()) {
                violations.add(config.field("url"), "port has to be explicitly specified");
            }
        }, () -> violations.add(config.field("url"), "invalid URL"));
    }

    private static void validateDatadog(DatadogConfig datadog, Path config, Violations violations) {
        if (datadog.address().isEmpty()) {
            violations.add(config.field("address"), "cannot be empty");
        }
        FieldRules.port(config.field("port"), datadog.port(), violations);
    }
}
