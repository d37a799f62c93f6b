package io.ursa.xds.context;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where other proxies reach one inbound of a service: the Dataplane's advertised (else own) address, the inbound's
 * port, and the inbound's tags. {@code dataplane} names the Dataplane it comes from.
 */
public record Endpoint(String address, int port, Map<String, String> tags, String dataplane) {
    /** Endpoints in a stable order: address, then port, then Dataplane name. */
    static final Comparator<Endpoint> ORDER = Comparator.comparing(Endpoint::address)
            .thenComparingInt(Endpoint::port)
            .thenComparing(Endpoint::dataplane);

    public Endpoint {
        requireNonNull(address, "address");
        requireNonNull(dataplane, "dataplane");
        tags = Collections.unmodifiableSortedMap(new TreeMap<>(requireNonNull(tags, "tags")));
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("invalid port: " + port + " (expected: 1-65535)");
        }
    }
}
