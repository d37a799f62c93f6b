package io.ursa.api.dataplane;

import io.ursa.api.dataplane.DataplaneSpec.GatewayType;
import io.ursa.api.dataplane.DataplaneSpec.Networking;
import io.ursa.api.mesh.PrometheusConfig;
import io.ursa.api.spec.FieldRules;
import io.ursa.api.spec.NetworkAddresses;
import io.ursa.api.spec.Protocols;
import io.ursa.api.spec.RequestUris;
import io.ursa.api.spec.SelectorValidation;
import io.ursa.api.spec.SelectorValidation.Option;
import io.ursa.api.spec.TagRule;
import io.ursa.api.spec.Tags;
import io.ursa.api.validation.Path;
import io.ursa.api.validation.Violations;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Shape validation of Dataplane, as Kuma 2.0's {@code dataplane_validator.go}: a missing {@code networking}
 * stops everything; otherwise the admin port, then the gateway or sidecar rules, each collecting every violation.
 */
public final class DataplaneValidator {
    private static final Path NETWORKING = Path.of("networking");
    private static final InetAddress LOOPBACK = NetworkAddresses.parseIp("127.0.0.1").orElseThrow();
    private static final TagRule GATEWAY_PROTOCOL_IS_TCP = (path, tags, violations) -> {
        String protocol = tags.get(Tags.PROTOCOL);
        if (protocol != null && !protocol.equals(Protocols.TCP)) {
            violations.add(path.key(Tags.PROTOCOL),
                    "other values than tcp are not allowed, provided value \"" + protocol + "\"");
        }
    };

    private DataplaneValidator() {
    }

    public static void validate(DataplaneSpec spec, Violations violations) {
        Networking networking = spec.networking();
        if (networking == null) {
            violations.add(NETWORKING, "must be defined");
            return;
        }
        if (networking.admin() != null) {
            validateAdminPort(networking, networking.admin().port(), violations);
        }
        if (spec.hasGateway(GatewayType.DELEGATED)) {
            if (!networking.inbound().isEmpty()) {
                violations.add(NETWORKING.field("inbound"), "inbound cannot be defined for delegated gateways");
            }
            validateGateway(networking, violations);
            NetworkingValidation.validate(networking, violations);
            validateProbes(spec.probes(), violations);
        } else if (spec.hasGateway(GatewayType.BUILTIN)) {
            if (!networking.inbound().isEmpty()) {
                violations.add(NETWORKING.field("inbound"), "inbound cannot be defined for builtin gateways");
            }
            if (!networking.outbound().isEmpty()) {
                violations.add(NETWORKING.field("outbound"), "outbound cannot be defined for builtin gateways");
            }
            if (spec.probes() != null) {
                // Kuma reports this one under networking, although probes is a top-level field.
                violations.add(NETWORKING.field("probes"), "probes cannot be defined for builtin gateways");
            }
            validateGateway(networking, violations);
            NetworkingValidation.validate(networking, violations);
        } else {
            if (networking.inbound().isEmpty()) {
                violations.add(NETWORKING, "has to contain at least one inbound interface or gateway");
            }
            NetworkingValidation.validate(networking, violations);
            validateProbes(spec.probes(), violations);
            if (spec.metrics() != null) {
                PrometheusConfig.validateBackend(spec.metrics(), Path.of("metrics"), violations);
            }
        }
    }

    /** The admin listener binds 127.0.0.1: no inbound or outbound may use that port on a loopback address. */
    private static void validateAdminPort(Networking networking, int port, Violations violations) {
        Path path = NETWORKING.field("admin").field("port");
        boolean inbound = networking.inboundInterfaces().stream().anyMatch(i ->
                (port == i.dataplanePort() && onLoopback(i.dataplaneIp()))
                        || (port == i.workloadPort() && onLoopback(i.workloadIp())));
        if (inbound) {
            violations.add(path, "must differ from inbound");
        }
        boolean outbound = networking.outboundInterfaces().stream().anyMatch(o ->
                port == o.dataplanePort() && onLoopback(o.dataplaneIp()));
        if (outbound) {
            violations.add(path, "must differ from outbound");
        }
    }

    private static boolean onLoopback(String ip) {
        Optional<InetAddress> address = NetworkAddresses.parseIp(ip);
        return address.isPresent()
                && (NetworkAddresses.isUnspecified(address.get()) || address.get().equals(LOOPBACK));
    }

    private static void validateGateway(Networking networking, Violations violations) {
        SelectorValidation.validateTags(NETWORKING.field("gateway").field("tags"), networking.gateway().tags(),
                Set.of(Option.REQUIRE_SERVICE), List.of(GATEWAY_PROTOCOL_IS_TCP), violations);
    }

    private static void validateProbes(DataplaneSpec.Probes probes, Violations violations) {
        if (probes == null) {
            return;
        }
        Path path = Path.of("probes");
        FieldRules.port(path.field("port"), probes.port(), violations);
        for (int i = 0; i < probes.endpoints().size(); i++) {
            DataplaneSpec.Endpoint endpoint = probes.endpoints().get(i);
            Path at = path.field("endpoints").index(i);
            FieldRules.port(at.field("inboundPort"), endpoint.inboundPort(), violations);
            if (!RequestUris.isValid(endpoint.inboundPath())) {
                violations.add(at.field("inboundPath"), "should be a valid URL Path");
            }
            if (!RequestUris.isValid(endpoint.path())) {
                violations.add(at.field("path"), "should be a valid URL Path");
            }
        }
    }
}
