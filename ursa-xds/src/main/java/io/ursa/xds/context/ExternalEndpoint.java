package io.ursa.xds.context;

import static java.util.Objects.requireNonNull;

import io.ursa.api.spec.NetworkAddresses;
import java.util.Collections;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One ExternalService as an endpoint of its {@code kuma.io/service}, with its TLS material loaded (Kuma's
 * {@code NewExternalServiceEndpoint} in {@code pkg/xds/topology/outbound.go}): sidecars connect straight to
 * {@code host:port}.
 *
 * @param name the ExternalService's name
 * @param host the host of {@code networking.address}: an IP literal or a DNS name
 * @param port the port of {@code networking.address}
 * @param tags the ExternalService's tags, plus {@code kuma.io/external-service-name: <name>} when TLS is on (as
 *        Kuma adds it, so that every endpoint's transport socket match selects that endpoint alone)
 * @param tls the TLS a proxy originates to it; empty when {@code networking.tls.enabled} is off
 */
public record ExternalEndpoint(String name, String host, int port, Map<String, String> tags,
                               Optional<ExternalTls> tls) {
    /** The tag Kuma adds to the endpoint of an ExternalService with TLS on. */
    public static final String NAME_TAG = "kuma.io/external-service-name";

    /** Endpoints in a stable order: host, then port, then name. */
    static final Comparator<ExternalEndpoint> ORDER = Comparator.comparing(ExternalEndpoint::host)
            .thenComparingInt(ExternalEndpoint::port)
            .thenComparing(ExternalEndpoint::name);

    public ExternalEndpoint {
        requireNonNull(name, "name");
        requireNonNull(host, "host");
        tags = Collections.unmodifiableSortedMap(new TreeMap<>(requireNonNull(tags, "tags")));
        requireNonNull(tls, "tls");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("invalid port of ExternalService " + name + ": " + port
                    + " (expected: 1-65535)");
        }
    }

    /** Whether {@code host} is an IP literal (else a DNS name that the proxy resolves). */
    public boolean hasIpAddress() {
        return NetworkAddresses.isIp(host);
    }

    /**
     * This endpoint in the form of a Dataplane's, for load assignments: the ExternalService's name stands where
     * the Dataplane's would (it only orders endpoints of the same address and port).
     */
    public Endpoint asEndpoint() {
        return new Endpoint(host, port, tags, name);
    }
}
