package io.ursa.api.zoneegress;

import io.ursa.api.spec.FieldRules;
import io.ursa.api.spec.NetworkAddresses;
import io.ursa.api.validation.Path;
import io.ursa.api.validation.Violations;

/**
 * Validation of a ZoneEgress, as Kuma 2.0's {@code zone_egress_validator.go}, with its field paths and messages,
 * and one rule more: the address is required (Kuma fills it from the pod on Kubernetes and accepts an empty one;
 * sidecars would then have nowhere to connect).
 */
public final class ZoneEgressValidator {
    private static final Path NETWORKING = Path.of("networking");

    private ZoneEgressValidator() {
    }

    public static void validate(ZoneEgressSpec spec, Violations violations) {
        ZoneEgressSpec.Networking networking = spec.networking();
        if (networking == null) {
            violations.add(NETWORKING.field("address"), "address can't be empty");
            FieldRules.port(NETWORKING.field("port"), 0, violations);
            return;
        }
        if (networking.admin() != null && networking.adminPort() == networking.port()) {
            violations.add(NETWORKING.field("admin").field("port"), "must differ from port");
        }
        String address = networking.address();
        if (address.isEmpty()) {
            // Kuma lets it be empty (on Kubernetes it comes from the pod); sidecars then have nowhere to connect.
            violations.add(NETWORKING.field("address"), "address can't be empty");
        } else {
            if (address.equals("0.0.0.0") || address.equals("::")) {
                violations.add(NETWORKING.field("address"), "must not be 0.0.0.0 or ::");
            }
            if (!NetworkAddresses.isIp(address) && !NetworkAddresses.isDnsName(address)) {
                violations.add(NETWORKING.field("address"), "address has to be valid IP address or domain name");
            }
        }
        FieldRules.port(NETWORKING.field("port"), networking.port(), violations);
    }
}
