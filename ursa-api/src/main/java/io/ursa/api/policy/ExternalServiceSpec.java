package io.ursa.api.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.ursa.api.resource.Spec;
import io.ursa.api.spec.DataSource;
import io.ursa.api.spec.NetworkAddresses;
import io.ursa.api.spec.NetworkAddresses.HostPort;
import io.ursa.api.spec.ProtoFields;
import io.ursa.api.spec.TagMaps;
import io.ursa.api.spec.Tags;
import java.util.Map;
import java.util.Optional;

/**
 * Spec of an ExternalService ({@code externalservice.proto}): a service outside the mesh, reached at
 * {@code networking.address} ({@code host:port}) and known by its {@code tags}.
 */
public record ExternalServiceSpec(Networking networking, Map<String, String> tags) implements Spec {
    public ExternalServiceSpec {
        tags = TagMaps.copyOf(tags);
    }

    /** The {@code kuma.io/service} tag, empty when missing. */
    public String service() {
        return tags.getOrDefault(Tags.SERVICE, "");
    }

    public record Networking(String address, Tls tls, boolean disableHostDNSEntry) {
        public Networking {
            address = ProtoFields.text(address);
        }

        /** {@code address} split into host and port; empty when it is not {@code host:port}. */
        public Optional<HostPort> hostPort() {
            return NetworkAddresses.splitHostPort(address);
        }
    }

    /** TLS originated by the proxy towards the external service. */
    public record Tls(
            boolean enabled,
            DataSource caCert,
            DataSource clientCert,
            DataSource clientKey,
            @JsonInclude(JsonInclude.Include.NON_NULL) Boolean allowRenegotiation,
            @JsonInclude(JsonInclude.Include.NON_NULL) String serverName) {
    }
}
