package io.ursa.dp;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.data.dns.v3.DnsTable;
import io.envoyproxy.envoy.extensions.filters.udp.dns_filter.v3.DnsFilterConfig;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code kuma:dns} listener in the shape Kuma 2.0 generates it (kuma-envoy-config §4 "DNS",
 * {@code pkg/xds/generator/testdata/dns/1-envoy-config.golden.yaml}): UDP on 127.0.0.1:15054, the DNS filter with a
 * c-ares client to the empty port and the inline table, domains sorted by name, 30s TTL.
 */
final class KumaDnsListener {
    private KumaDnsListener() {
    }

    /** The listener for {@code domains} (name to addresses). */
    static Listener of(Map<String, List<String>> domains) {
        DnsTable.Builder table = DnsTable.newBuilder();
        new TreeMap<>(domains).forEach((name, addresses) -> table.addVirtualDomains(
                DnsTable.DnsVirtualDomain.newBuilder()
                        .setName(name)
                        .setEndpoint(DnsTable.DnsEndpoint.newBuilder()
                                .setAddressList(DnsTable.AddressList.newBuilder().addAllAddress(addresses)))
                        .setAnswerTtl(Duration.newBuilder().setSeconds(30))));
        DnsFilterConfig config = DnsFilterConfig.newBuilder()
                .setStatPrefix("kuma_dns")
                .setServerConfig(DnsFilterConfig.ServerContextConfig.newBuilder().setInlineDnsTable(table))
                .build();
        return withFilterConfig(Any.pack(config));
    }

    /** The listener with {@code typedConfig} as its DNS filter's configuration, for broken ones. */
    static Listener withFilterConfig(Any typedConfig) {
        return Listener.newBuilder()
                .setName("kuma:dns")
                .setAddress(Address.newBuilder().setSocketAddress(SocketAddress.newBuilder()
                        .setProtocol(SocketAddress.Protocol.UDP)
                        .setAddress("127.0.0.1")
                        .setPortValue(15054)))
                .addListenerFilters(ListenerFilter.newBuilder()
                        .setName("envoy.filters.udp.dns_filter")
                        .setTypedConfig(typedConfig))
                .build();
    }
}
