package io.ursa.api.mesh;

import io.ursa.api.validation.Path;
import io.ursa.api.validation.Violations;
import java.util.HashSet;
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
        Set<String> names = new HashSet<>();
        for (int i = 0; i < tracing.backends().size(); i++) {
            Tracing.Backend backend = tracing.backends().get(i);
            Path backendPath = path.field("backends").index(i);
            validateBackend(backend, backendPath, violations);
            if (!names.add(backend.name())) {
                violations.add(backendPath.field("name"),
                        GoQuote.quote(backend.name()) + " name is already used for another backend");
            }
        }
        if (!tracing.defaultBackend().isEmpty() && !names.contains(tracing.defaultBackend())) {
            violations.add(path.field("defaultBackend"), "has to be set to one of the tracing backend in mesh");
        }
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
            case Tracing.ZIPKIN -> validateZipkin(backend, config, violations);
            case Tracing.DATADOG -> validateDatadog(backend, config, violations);
            default -> violations.add(path.field("type"), "unknown backend type. Available backends: "
                    + GoQuote.quote(Tracing.ZIPKIN) + ", " + GoQuote.quote(Tracing.DATADOG));
        }
    }

    private static void validateZipkin(Tracing.Backend backend, Path config, Violations violations) {
        ZipkinConfig zipkin;
        try {
            zipkin = ZipkinConfig.parse(backend.conf());
        } catch (ConfException e) {
            violations.add(config, "could not parse config: " + e.getMessage());
            return;
        }
        if (!zipkin.apiVersion().isEmpty() && !ZIPKIN_API_VERSIONS.contains(zipkin.apiVersion())) {
            violations.add(config.field("apiVersion"),
                    "has invalid value. Allowed values: httpJsonV1, httpJson, httpProto");
        }
        if (zipkin.url().isEmpty()) {
            violations.add(config.field("url"), "cannot be empty");
            return;
        }
        RequestUri.port(zipkin.url()).ifPresentOrElse(port -> {
            if (port.isEmpty()) {
                violations.add(config.field("url"), "port has to be explicitly specified");
            }
        }, () -> violations.add(config.field("url"), "invalid URL"));
    }

    private static void validateDatadog(Tracing.Backend backend, Path config, Violations violations) {
        DatadogConfig datadog;
        try {
            datadog = DatadogConfig.parse(backend.conf());
        } catch (ConfException e) {
            violations.add(config, "could not parse config: " + e.getMessage());
            return;
        }
        if (datadog.address().isEmpty()) {
            violations.add(config.field("address"), "cannot be empty");
        }
        if (datadog.port() == 0 || datadog.port() > 65535) {
            violations.add(config.field("port"), "port must be in the range [1, 65535]");
        }
    }
}
