package io.ursa.api.mesh;

import io.ursa.api.spec.NetworkAddresses;
import io.ursa.api.validation.Path;
import io.ursa.api.validation.Violations;
import java.util.HashSet;
import java.util.Set;

/** The {@code logging} rules of Kuma 2.0's {@code validateLogging}; note the {@code config} (not conf) paths. */
final class LoggingValidation {
    private LoggingValidation() {
    }

    static void validate(Logging logging, Path path, Violations violations) {
        if (logging == null) {
            return;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < logging.backends().size(); i++) {
            Logging.Backend backend = logging.backends().get(i);
            Path backendPath = path.field("backends").index(i);
            validateBackend(backend, backendPath, violations);
            if (!names.add(backend.name())) {
                violations.add(backendPath.field("name"),
                        GoQuote.quote(backend.name()) + " name is already used for another backend");
            }
        }
        if (!logging.defaultBackend().isEmpty() && !names.contains(logging.defaultBackend())) {
            violations.add(path.field("defaultBackend"), "has to be set to one of the logging backend in mesh");
        }
    }

    private static void validateBackend(Logging.Backend backend, Path path, Violations violations) {
        if (backend.name().isEmpty()) {
            violations.add(path.field("name"), "cannot be empty");
        }
        AccessLogFormat.validate(backend.format()).ifPresent(error -> violations.add(path.field("format"), error));
        Path config = path.field("config");
        switch (backend.type()) {
            case Logging.FILE -> validateFile(backend, config, violations);
            case Logging.TCP -> validateTcp(backend, config, violations);
            default -> violations.add(path.field("type"), "unknown backend type. Available backends: "
                    + GoQuote.quote(Logging.TCP) + ", " + GoQuote.quote(Logging.FILE));
        }
    }

    private static void validateFile(Logging.Backend backend, Path config, Violations violations) {
        try {
            if (FileLoggingConfig.parse(backend.conf()).path().isEmpty()) {
                violations.add(config.field("path"), "cannot be empty");
            }
        } catch (ConfException e) {
            violations.add(config, "could not parse config: " + e.getMessage());
        }
    }

    private static void validateTcp(Logging.Backend backend, Path config, Violations violations) {
        String address;
        try {
            address = TcpLoggingConfig.parse(backend.conf()).address();
        } catch (ConfException e) {
            violations.add(config, "could not parse config: " + e.getMessage());
            return;
        }
        if (address.isEmpty()) {
            violations.add(config.field("address"), "cannot be empty");
        } else if (NetworkAddresses.splitHostPort(address)
                .filter(hostPort -> !hostPort.host().isEmpty() && !hostPort.port().isEmpty()).isEmpty()) {
            violations.add(config.field("address"), "has to be in format of HOST:PORT");
        }
    }
}
