package io.ursa.api.policy;

import io.ursa.api.policy.ExternalServiceSpec.Networking;
import io.ursa.api.policy.ExternalServiceSpec.Tls;
import io.ursa.api.spec.DataSource;
import io.ursa.api.spec.FieldRules;
import io.ursa.api.spec.NetworkAddresses;
import io.ursa.api.spec.NetworkAddresses.HostPort;
import io.ursa.api.spec.SelectorValidation;
import io.ursa.api.spec.SelectorValidation.Option;
import io.ursa.api.spec.TagRule;
import io.ursa.api.validation.Path;
import io.ursa.api.validation.Violations;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Shape validation of ExternalService, as Kuma 2.0's {@code external_service_validator.go}: a {@code host:port}
 * address, non-empty TLS data sources, and tags with {@code kuma.io/service} and a known protocol.
 */
public final class ExternalServiceValidator {
    private static final Path NETWORKING = Path.of("networking");

    private ExternalServiceValidator() {
    }

    public static void validate(ExternalServiceSpec spec, Violations violations) {
        Networking networking = spec.networking();
        if (networking == null) {
            violations.add(NETWORKING, "should have networking");
        } else {
            validateAddress(NETWORKING.field("address"), networking.address(), violations);
            if (networking.tls() != null) {
                validateTls(NETWORKING.field("tls"), networking.tls(), violations);
            }
        }
        SelectorValidation.validateTags(Path.of("tags"), spec.tags(), Set.of(Option.REQUIRE_SERVICE),
                List.of(TagRule.protocolIsSupported()), violations);
    }

    /** Every problem is reported, all on {@code networking.address}, as Kuma does. */
    private static void validateAddress(Path path, String address, Violations violations) {
        if (address.isEmpty()) {
            violations.add(path, "address can't be empty");
            return;
        }
        Optional<HostPort> split = NetworkAddresses.splitHostPort(address);
        HostPort hostPort = split.orElse(new HostPort("", ""));
        if (split.isEmpty()) {
            violations.add(path, "unable to parse address");
        }
        if (!NetworkAddresses.isIp(hostPort.host()) && !NetworkAddresses.isDnsName(hostPort.host())) {
            violations.add(path, "address has to be a valid IP address or a domain name");
        }
        long port = 0;
        if (!hostPort.port().matches("[0-9]+")) {
            violations.add(path, "unable to parse port in address");
        } else if (hostPort.port().length() > 10 || Long.parseLong(hostPort.port()) > 0xFFFF_FFFFL) {
            violations.add(path, "unable to parse port in address");
            port = 0xFFFF_FFFFL;
        } else {
            port = Long.parseLong(hostPort.port());
        }
        FieldRules.port(path, port, violations);
    }

    private static void validateTls(Path path, Tls tls, Violations violations) {
        if (tls.serverName() != null && tls.serverName().isEmpty()) {
            violations.add(path.field("serverName"), "cannot be empty");
        }
        DataSource.validate(path.field("caCert"), tls.caCert(), violations);
        DataSource.validate(path.field("clientCert"), tls.clientCert(), violations);
        DataSource.validate(path.field("clientKey"), tls.clientKey(), violations);
    }
}
