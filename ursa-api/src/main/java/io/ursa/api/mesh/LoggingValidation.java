package io.ursa.api.mesh;

import io.ursa.api.spec.NetworkAddresses;
import io.ursa.api.validation.Path;
import io.ursa.api.validation.Violations;

/** The {@code logging} rules of Kuma 2.0's {@code validateLogging}; note the {@code config} (not conf) paths. */
final class LoggingValidation {
    private LoggingValidation() {
    }

    static void validate(Logging logging, Path path, Violations violations) {
        if (logging == null) {
            return;
        }
        BackendChecks.Names names = new BackendChecks.Names();
        for (int i = 0; i < logging.backends().size(); i++) {
            Logging.Backend backend = logging.backends().get(i);
            Path backendPath = path.field("backends").index(i);
            validateBackend(backend, backendPath, violations);
            names.add(backend.name(), backendPath, violations);
        }
        names.checkReference(logging.defaultBackend(), path.field("defaultBackend"),
                "has to be set to one of the logging backend in mesh", violations);
    }

    private static void validateBackend(Logging.Backend backend, Path path, Violations violations) {
        if (backend.name().isEmpty()) {
            violations.add(path.field("name"), "cannot be empty");
        }
        AccessLogFormat.validate(backend.format()).ifPresent(error -> violations.add(path.field("format"), error));
        Path config = path.field("config");
        switch (backend.type()) {
            case Logging.FILE -> BackendChecks.parseConf(FileLoggingConfig::parse, backend.conf(), config, violations)
                    .filter(file -> file.path().isEmpty())
                    .ifPresent(file -> violations.add(config.field("path"), "cannot be empty"));
            case Logging.TCP -> BackendChecks.parseConf(TcpLoggingConfig::parse, backend.conf(), config, violations)
                    .ifPresent(tcp -> validateTcp(tcp, config, violations));
            default -> violations.add(path.field("type"), "unknown backend type. Available backends: "
                    + GoQuote.quote(Logging.TCP) + ", " + GoQuote.quote(Logging.FILE));
        }
    }

    private static void validateTcp(TcpLoggingConfig tcp, Path config, Violations violations) {
        String address = tcp.address();
        if (address.isEmpty()) {
            violations.add(config.field("address"), "cannot be empty");
        } else if (NetworkAddresses.splitHostPort(address)
                .filter(hostPort -> !hostPort.host().isEmpty() && !hostPort.port().isEmpty()).isEmpty()) {
            violations.add(config.field("address"), "has to be in format of HOST:PORT");
        }
    }
}
