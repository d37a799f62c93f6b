package io.ursa.xds.vips;

import static java.util.Objects.requireNonNull;

import io.ursa.api.spec.Tags;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The VIPs of one mesh and what transparently proxied Dataplanes do with them (Kuma's {@code VIPOutbounds} and
 * {@code VIPDomains} of its mesh context, {@code pkg/xds/topology/dns.go}): computed once per mesh context by
 * {@link VipView#resolve}, the same for every proxy of the mesh. Each proxy then keeps the outbounds it may reach.
 *
 * @param table     the VIP of every entry
 * @param outbounds the outbounds every transparently proxied Dataplane gets, in entry order
 * @param domains   the DNS names of every VIP, in entry order
 */
public record MeshVips(VipTable table, List<Outbound> outbounds, List<Domains> domains) {
    /** The top-level domain of service names ({@code <service>.mesh}; Kuma's {@code dnsServer.domain}). */
    public static final String DOMAIN = "mesh";
    /** The port every service gets on its VIP (Kuma's {@code dnsServer.serviceVipPort}). */
    public static final int SERVICE_VIP_PORT = 80;

    private static final MeshVips NONE = new MeshVips(VipTable.empty(), List.of(), List.of());

    public MeshVips {
        requireNonNull(table, "table");
        outbounds = List.copyOf(requireNonNull(outbounds, "outbounds"));
        domains = List.copyOf(requireNonNull(domains, "domains"));
    }

    /** A mesh without VIPs: none of its Dataplanes uses transparent proxying. */
    public static MeshVips none() {
        return NONE;
    }

    /** Every VIP of the table. */
    public Set<String> addresses() {
        return table.vips().values().stream().collect(Collectors.toUnmodifiableSet());
    }

    /**
     * An outbound on a VIP, with the tags its traffic is routed by ({@code kuma.io/service} alone for a service; the
     * tags a VirtualOutbound's parameters read for its hosts; the listener's tags with {@code kuma.io/mesh} for a
     * cross-mesh gateway listener) and where it comes from ({@code origin}: Kuma's
     * {@code mesh-gateway:<mesh>:<gateway>:<hostname>} for a cross-mesh gateway listener, empty for the others).
     */
    public record Outbound(String address, int port, SortedMap<String, String> tags, String origin) {
        public Outbound {
            requireNonNull(address, "address");
            requireNonNull(origin, "origin");
            tags = Collections.unmodifiableSortedMap(new TreeMap<>(requireNonNull(tags, "tags")));
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("invalid VIP outbound port: " + port + " (expected: 1-65535)");
            }
        }

        /** An outbound of a service or VirtualOutbound host. */
        public Outbound(String address, int port, SortedMap<String, String> tags) {
            this(address, port, tags, "");
        }

        /** The {@code kuma.io/service} the outbound leads to; empty when its tags have none. */
        public String service() {
            return tags.getOrDefault(Tags.SERVICE, "");
        }
    }

    /** The names a VIP answers to in the proxy's DNS ({@code <service>.mesh}, VirtualOutbound hosts). */
    public record Domains(String address, List<String> names) {
        public Domains {
            requireNonNull(address, "address");
            names = List.copyOf(requireNonNull(names, "names"));
        }
    }
}
