package io.ursa.api.gateway;

import io.ursa.api.gateway.MeshGatewaySpec.Listener;
import io.ursa.api.gateway.MeshGatewaySpec.Protocol;
import io.ursa.api.gateway.MeshGatewaySpec.Tls;
import io.ursa.api.spec.FieldRules;
import io.ursa.api.spec.SelectorValidation;
import io.ursa.api.spec.SelectorValidation.Option;
import io.ursa.api.validation.Path;
import io.ursa.api.validation.Violations;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kuma 2.0's MeshGateway validation ({@code gateway_validator.go}), with its paths and messages. The
 * vectors are {@code testdata/policy/validation/mesh-gateway.yaml}. One rule is Ursa's, with its own case there:
 * a cross-mesh listener must be HTTP, so a TCP one is refused as an HTTPS one is
 * ({@code conf.listeners[i].protocol: protocol is not supported with crossMesh}); Kuma 2.0 accepts it but
 * generates nothing cross-mesh for TCP.
 */
public final class MeshGatewayValidator {
    private static final String CANNOT_BE_EMPTY = "cannot be empty";

    private MeshGatewayValidator() {
    }

    public static void validate(MeshGatewaySpec spec, Violations violations) {
        Path selectors = Path.root().field("selectors");
        if (spec.selectors().isEmpty()) {
            violations.add(selectors, "must have at least one element");
        }
        for (int i = 0; i < spec.selectors().size(); i++) {
            SelectorValidation.validate(selectors.index(i).field("match"), spec.selectors().get(i).match(),
                    Set.of(Option.REQUIRE_AT_LEAST_ONE_TAG, Option.REQUIRE_SERVICE), violations);
            if (i > 0 && spec.isCrossMesh()) {
                violations.add(selectors.index(i), "there can be at most one selector");
            }
        }
        SelectorValidation.validate(Path.root().field("tags"), spec.tags(), Set.of(),
                List.of(GatewayTagRules.NO_RESERVED_KEYS), violations);
        validateConf(Path.root().field("conf"), spec.conf(), violations);
    }

    private static void validateConf(Path path, MeshGatewaySpec.Conf conf, Violations violations) {
        if (conf == null) {
            violations.add(path, CANNOT_BE_EMPTY);
            return;
        }
        Path listeners = path.field("listeners");
        if (conf.listeners().isEmpty()) {
            violations.add(listeners, CANNOT_BE_EMPTY);
        }
        for (int i = 0; i < conf.listeners().size(); i++) {
            validateListener(listeners.index(i), conf.listeners().get(i), violations);
        }
        validateCollapsibility(listeners, conf.listeners(), violations);
    }

    private static void validateListener(Path path, Listener listener, Violations violations) {
        if (!listener.hostname().isEmpty()) {
            String problem = GatewayTagRules.hostnameProblem(listener.hostname());
            if (problem != null) {
                violations.add(path.field("hostname"), problem);
            }
        }
        FieldRules.port(path.field("port"), listener.port(), violations);
        switch (listener.protocol()) {
            case NONE -> violations.add(path.field("protocol"), CANNOT_BE_EMPTY);
            case UDP, TLS -> violations.add(path.field("protocol"), "protocol type is not supported");
            case HTTPS -> {
                if (listener.crossMesh()) {
                    violations.add(path.field("protocol"), "protocol is not supported with crossMesh");
                } else if (listener.tls() == null) {
                    violations.add(path.field("tls"), CANNOT_BE_EMPTY);
                }
            }
            case TCP -> {
                if (listener.crossMesh()) {
                    violations.add(path.field("protocol"), "protocol is not supported with crossMesh");
                }
            }
            case HTTP -> {
            }
        }
        Tls tls = listener.tls();
        if (tls != null && !listener.crossMesh()) {
            Path certificates = path.field("tls").field("certificates");
            switch (tls.mode()) {
                case NONE -> violations.add(path.field("tls").field("mode"), CANNOT_BE_EMPTY);
                case PASSTHROUGH -> {
                    if (!tls.certificates().isEmpty()) {
                        violations.add(certificates, "must be empty in TLS passthrough mode");
                    }
                }
                case TERMINATE -> {
                    if (tls.certificates().isEmpty()) {
                        violations.add(certificates, "cannot be empty in TLS termination mode");
                    } else if (tls.certificates().size() > 2) {
                        violations.add(certificates, "cannot have more than 2 certificates");
                    }
                }
            }
        }
        if (tls != null && listener.crossMesh()
                && (tls.mode() != MeshGatewaySpec.TlsMode.NONE || !tls.certificates().isEmpty())) {
            violations.add(path.field("tls"), "must be empty with crossMesh");
        }
        SelectorValidation.validate(path.field("tags"), listener.tags(), Set.of(),
                List.of(GatewayTagRules.NO_RESERVED_KEYS), violations);
    }

    /** Listeners that share a port become one Envoy listener: they must agree on protocol and limits. */
    private static void validateCollapsibility(Path path, List<Listener> listeners, Violations violations) {
        Map<Integer, Map<Protocol, List<Integer>>> protocolsByPort = new LinkedHashMap<>();
        Map<Integer, Map<String, List<Integer>>> hostnamesByPort = new LinkedHashMap<>();
        Map<Integer, List<Integer>> limitedByPort = new LinkedHashMap<>();
        Map<Integer, Set<Long>> limitsByPort = new LinkedHashMap<>();
        for (int i = 0; i < listeners.size(); i++) {
            Listener l = listeners.get(i);
            protocolsByPort.computeIfAbsent(l.port(), p -> new LinkedHashMap<>())
                    .computeIfAbsent(l.protocol(), p -> new ArrayList<>()).add(i);
            hostnamesByPort.computeIfAbsent(l.port(), p -> new LinkedHashMap<>())
                    .computeIfAbsent(l.effectiveHostname(), h -> new ArrayList<>()).add(i);
            if (l.connectionLimit() != 0) {
                limitedByPort.computeIfAbsent(l.port(), p -> new ArrayList<>()).add(i);
                limitsByPort.computeIfAbsent(l.port(), p -> new LinkedHashSet<>()).add(l.connectionLimit());
            }
        }
        protocolsByPort.values().stream().filter(byProtocol -> byProtocol.size() > 1)
                .forEach(byProtocol -> byProtocol.values().forEach(indexes -> indexes.forEach(i ->
                        violations.add(path.index(i), "protocol conflicts with other listeners on this port"))));
        hostnamesByPort.values().forEach(byHostname -> byHostname.values().stream()
                .filter(indexes -> indexes.size() > 1)
                .forEach(indexes -> indexes.forEach(i ->
                        violations.add(path.index(i), "multiple listeners for hostname on this port"))));
        limitsByPort.forEach((port, limits) -> {
            if (limits.size() > 1) {
                limitedByPort.get(port).forEach(i -> violations.add(
                        path.index(i).field("resources").field("connectionLimit"), "conflicting values for this port"));
            }
        });
    }
}
