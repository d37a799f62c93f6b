package io.ursa.xds.generator;

import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TypedExtensionConfig;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.data.dns.v3.DnsTable;
import io.envoyproxy.envoy.extensions.filters.udp.dns_filter.v3.DnsFilterConfig;
import io.envoyproxy.envoy.extensions.network.dns_resolver.cares.v3.CaresDnsResolverConfig;
import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.envoy.Protos;
import io.ursa.xds.envoy.listeners.ListenerBuilder;
import io.ursa.xds.envoy.listeners.ListenerConfigurers;
import io.ursa.xds.names.EnvoyNames;
import io.ursa.xds.resources.ResourceSet;
import io.ursa.xds.vips.MeshVips;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The DNS listener of a transparent proxy ({@code kuma-2.0-envoy-config.md} §4 "DNS", Kuma's
 * {@code dns_generator.go}): UDP listener {@code kuma:dns} on {@code 127.0.0.1:<dataplane.dns.port>} whose
 * {@code envoy.filters.udp.dns_filter} answers the mesh's names with their VIPs and sends every other query to
 * {@code 127.0.0.1:<dataplane.dns.empty.port>} (the agent's empty DNS server, which answers nothing, so the
 * application's resolver moves on to its next server).
 *
 * <p>The table ({@code serverConfig.inlineDnsTable.virtualDomains}, sorted by name, {@code answerTtl: 30s}) has
 * {@code <service>.mesh} (and the same with {@code _} as dots) for every service and the host of every
 * VirtualOutbound, but only those whose VIP has an outbound on this proxy ({@link ProxyOutbounds}: a service
 * outside {@code reachableServices} is not listed). A name that is both a service's and a VirtualOutbound host
 * answers with the service's VIP (the later entry, as in Kuma). With {@code redirectPortInboundV6} set, each name
 * also answers with its VIP as an IPv4-mapped IPv6 address ({@code ::ffff:f000:1}).
 *
 * <p>Proxies whose outbounds reach the same VIPs with the same DNS ports (replicas of a workload) share one
 * listener per mesh context ({@link io.ursa.xds.context.SharedResources}).
 *
 * <p>Empty without transparent proxying ({@code redirectPortOutbound}) or unless the proxy reported both DNS ports
 * in its node metadata (the agent sends them with the bootstrap request, {@code dnsPort} / {@code emptyDnsPort}).
 * The agent's DNS server reads this very listener over ADS, so its name and shape are Kuma's.
 */
public final class DnsGenerator implements Generator {
    /** The UDP listener filter that answers DNS queries. */
    static final String DNS_FILTER = "envoy.filters.udp.dns_filter";
    /** The resolver that forwards the queries the table does not answer. */
    static final String CARES_RESOLVER = "envoy.network.dns_resolver.cares";
    static final String LOCALHOST = "127.0.0.1";
    static final Duration ANSWER_TTL = Duration.ofSeconds(30);
    static final long MAX_PENDING_LOOKUPS = 256;

    @Override
    public String origin() {
        return Origins.DNS;
    }

    @Override
    public ResourceSet generate(ProxyContext proxy) {
        DataplaneSpec.Networking networking = proxy.spec().networking();
        if (networking == null || !networking.redirectsOutbound() || proxy.metadata().dnsPort().isEmpty()
                || proxy.metadata().emptyDnsPort().isEmpty()) {
            return ResourceSet.empty();
        }
        Family family = networking.transparentProxying().redirectPortInboundV6() != 0 ? Family.DUAL : Family.IPV4;
        Set<String> withOutbound = new HashSet<>();
        ProxyOutbounds.of(proxy).forEach(outbound -> withOutbound.add(outbound.address()));
        Inputs inputs = new Inputs(withOutbound, family, proxy.metadata().dnsPort().getAsInt(),
                proxy.metadata().emptyDnsPort().getAsInt());
        return ResourceSet.builder()
                .add(proxy.mesh().shared().computeIfAbsent(inputs, () -> listener(proxy, inputs)))
                .build();
    }

    /**
     * What the listener is computed from besides the mesh context; proxies with equal inputs (the replicas of a
     * workload) share one listener.
     */
    private record Inputs(Set<String> vipsWithOutbound, Family family, int dnsPort, int emptyDnsPort) {
        Inputs {
            vipsWithOutbound = Set.copyOf(vipsWithOutbound);
        }
    }

    private static Listener listener(ProxyContext proxy, Inputs inputs) {
        DnsFilterConfig config = DnsFilterConfig.newBuilder()
                .setStatPrefix(EnvoyNames.statName(EnvoyNames.DNS_LISTENER))
                .setClientConfig(DnsFilterConfig.ClientContextConfig.newBuilder()
                        .setMaxPendingLookups(MAX_PENDING_LOOKUPS)
                        .setTypedDnsResolverConfig(TypedExtensionConfig.newBuilder()
                                .setName(CARES_RESOLVER)
                                .setTypedConfig(Protos.pack(CaresDnsResolverConfig.newBuilder()
                                        .addResolvers(Address.newBuilder().setSocketAddress(SocketAddress.newBuilder()
                                                .setAddress(LOCALHOST)
                                                .setPortValue(inputs.emptyDnsPort())))
                                        .build()))))
                .setServerConfig(DnsFilterConfig.ServerContextConfig.newBuilder()
                        .setInlineDnsTable(table(proxy, inputs)))
                .build();
        return ListenerBuilder.named(EnvoyNames.DNS_LISTENER)
                .configure(ListenerConfigurers.udpInbound(LOCALHOST, inputs.dnsPort()))
                .configure(ListenerConfigurers.listenerFilter(DNS_FILTER, config))
                .build();
    }

    /** Which addresses a name answers with. */
    private enum Family {
        /** The VIP. */
        IPV4,
        /** The VIP and the VIP as an IPv4-mapped IPv6 address. */
        DUAL
    }

    private static DnsTable table(ProxyContext proxy, Inputs inputs) {
        Map<String, String> vipByName = new TreeMap<>();
        for (MeshVips.Domains domains : proxy.mesh().vips().domains()) {
            if (inputs.vipsWithOutbound().contains(domains.address())) {
                domains.names().forEach(name -> vipByName.put(name, domains.address()));
            }
        }
        DnsTable.Builder table = DnsTable.newBuilder();
        vipByName.forEach((name, vip) -> {
            List<String> addresses = new ArrayList<>(List.of(vip));
            if (inputs.family() == Family.DUAL) {
                addresses.add(ipv4MappedIpv6(vip));
            }
            table.addVirtualDomains(DnsTable.DnsVirtualDomain.newBuilder()
                    .setName(name)
                    .setEndpoint(DnsTable.DnsEndpoint.newBuilder()
                            .setAddressList(DnsTable.AddressList.newBuilder().addAllAddress(addresses)))
                    .setAnswerTtl(Protos.duration(ANSWER_TTL)));
        });
        return table.build();
    }

    /** {@code 240.0.0.1} as {@code ::ffff:f000:1}, the form Kuma's DNS table writes. */
    static String ipv4MappedIpv6(String ipv4) {
        String[] octets = ipv4.split("\\.");
        int high = Integer.parseInt(octets[0]) << 8 | Integer.parseInt(octets[1]);
        int low = Integer.parseInt(octets[2]) << 8 | Integer.parseInt(octets[3]);
        return "::ffff:" + Integer.toHexString(high) + ":" + Integer.toHexString(low);
    }
}
