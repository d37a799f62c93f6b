package io.ursa.api.dataplane;

import io.ursa.api.dataplane.DataplaneSpec.Inbound;
import io.ursa.api.dataplane.DataplaneSpec.Networking;
import io.ursa.api.dataplane.DataplaneSpec.Outbound;
import io.ursa.api.dataplane.DataplaneSpec.ServiceProbe;
import io.ursa.api.spec.FieldRules;
import io.ursa.api.spec.NetworkAddresses;
import io.ursa.api.spec.SelectorValidation;
import io.ursa.api.spec.SelectorValidation.Option;
import io.ursa.api.spec.TagRule;
import io.ursa.api.spec.Tags;
import io.ursa.api.validation.Path;
import io.ursa.api.validation.Violations;
import java.util.List;
import java.util.Set;

/** Kuma's {@code validateNetworking}: the address, every inbound, every outbound. */
final class NetworkingValidation {
    private static final Path NETWORKING = Path.of("networking");
    private static final String SERVICE_AND_ADDRESS_OVERLAP =
            "serviceAddress and servicePort has to differ from address and port";

    private NetworkingValidation() {
    }

    static void validate(Networking networking, Violations violations) {
        validateAddress(networking.address(), violations);
        for (int i = 0; i < networking.inbound().size(); i++) {
            Inbound inbound = networking.inbound().get(i);
            Path path = NETWORKING.field("inbound").index(i);
            validateInbound(path, inbound, networking.address(), violations);
            if (!inbound.tags().containsKey(Tags.SERVICE)) {
                violations.add(path.field("tags").key(Tags.SERVICE), "tag has to exist");
            }
        }
        for (int i = 0; i < networking.outbound().size(); i++) {
            validateOutbound(NETWORKING.field("outbound").index(i), networking.outbound().get(i), violations);
        }
    }

    private static void validateAddress(String address, Violations violations) {
        Path path = NETWORKING.field("address");
        if (address.isEmpty()) {
            violations.add(path, "address can't be empty");
            return;
        }
        if (address.equals("0.0.0.0") || address.equals("::")) {
            violations.add(path, "must not be 0.0.0.0 or ::");
        }
        if (!NetworkAddresses.isIp(address) && !NetworkAddresses.isDnsName(address)) {
            violations.add(path, "address has to be valid IP address or domain name");
        }
    }

    private static void validateInbound(Path path, Inbound inbound, String dataplaneAddress, Violations violations) {
        FieldRules.port(path.field("port"), inbound.port(), violations);
        if (inbound.servicePort() != 0) {
            FieldRules.port(path.field("servicePort"), inbound.servicePort(), violations);
        }
        boolean samePort = inbound.servicePort() == 0 || inbound.servicePort() == inbound.port();
        if (!inbound.serviceAddress().isEmpty()) {
            if (!NetworkAddresses.isIp(inbound.serviceAddress())) {
                violations.add(path.field("serviceAddress"), "serviceAddress has to be valid IP address");
            }
            if (inbound.serviceAddress().equals(dataplaneAddress) && samePort) {
                violations.add(path.field("serviceAddress"), SERVICE_AND_ADDRESS_OVERLAP);
            }
        }
        if (!inbound.address().isEmpty()) {
            if (!NetworkAddresses.isIp(inbound.address())) {
                violations.add(path.field("address"), "address has to be valid IP address");
            }
            if (inbound.address().equals(inbound.serviceAddress()) && samePort) {
                violations.add(path.field("serviceAddress"), SERVICE_AND_ADDRESS_OVERLAP);
            }
        }
        SelectorValidation.validateTags(path.field("tags"), inbound.tags(), Set.of(),
                List.of(TagRule.protocolIsSupported()), violations);
        if (inbound.serviceProbe() != null) {
            validateServiceProbe(path.field("serviceProbe"), inbound.serviceProbe(), violations);
        }
    }

    private static void validateServiceProbe(Path path, ServiceProbe probe, Violations violations) {
        FieldRules.positiveDurationIfSet(path.field("interval"), probe.interval(), violations);
        FieldRules.positiveDurationIfSet(path.field("timeout"), probe.timeout(), violations);
        if (probe.unhealthyThreshold() != null) {
            FieldRules.positiveThreshold(path.field("unhealthyThreshold"), probe.unhealthyThreshold(), violations);
        }
        if (probe.healthyThreshold() != null) {
            FieldRules.positiveThreshold(path.field("healthyThreshold"), probe.healthyThreshold(), violations);
        }
    }

    private static void validateOutbound(Path path, Outbound outbound, Violations violations) {
        FieldRules.port(path.field("port"), outbound.port(), violations);
        if (!outbound.address().isEmpty() && !NetworkAddresses.isIp(outbound.address())) {
            violations.add(path.field("address"), "address has to be valid IP address");
        }
        if (outbound.tags().isEmpty()) {
            if (outbound.service().isEmpty()) {
                violations.add(path.field("tags"), "mandatory tag \"" + Tags.SERVICE + "\" is missing");
            }
        } else {
            SelectorValidation.validateTags(path.field("tags"), outbound.tags(), Set.of(Option.REQUIRE_SERVICE),
                    List.of(), violations);
        }
    }
}
