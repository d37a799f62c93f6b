package io.ursa.dp;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.data.dns.v3.DnsTable.DnsVirtualDomain;
import io.envoyproxy.envoy.extensions.filters.udp.dns_filter.v3.DnsFilterConfig;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads the {@link DnsTable} out of the control plane's {@code kuma:dns} listener, as Kuma 2.0 generates it
 * ({@code dns_generator.go}, kuma-envoy-config §4 "DNS"): a UDP listener whose {@code listener_filters} hold
 * {@value #DNS_FILTER} with a {@code DnsFilterConfig}, whose {@code server_config.inline_dns_table.virtual_domains[]}
 * are {@code {name, endpoint.address_list.address[], answer_ttl}}. Anything else in the listener (address, client
 * config, stat prefix) is Envoy's business and ignored. A listener that does not have this shape is refused with the
 * field that is wrong, so the agent can NACK it and keep its table.
 */
final class DnsListenerTable {
    static final String LISTENER_NAME = "kuma:dns";
    static final String DNS_FILTER = "envoy.filters.udp.dns_filter";
    static final String DNS_FILTER_TYPE_URL =
            "type.googleapis.com/envoy.extensions.filters.udp.dns_filter.v3.DnsFilterConfig";
    /** Kuma's {@code answer_ttl}, used when a domain has none (Envoy's own default is 300s; Kuma always sets it). */
    static final Duration DEFAULT_TTL = Duration.ofSeconds(30);

    private DnsListenerTable() {
    }

    /** Thrown for a listener that does not carry a usable DNS table; the message names the field. */
    static final class InvalidTableException extends Exception {
        InvalidTableException(String message) {
            super(message);
        }
    }

    static DnsTable parse(Listener listener) throws InvalidTableException {
        if (!listener.getName().equals(LISTENER_NAME)) {
            throw new InvalidTableException("unexpected listener \"" + listener.getName() + "\" (expected: "
                    + LISTENER_NAME + ")");
        }
        DnsFilterConfig config = filterConfig(listener);
        if (!config.hasServerConfig() || !config.getServerConfig().hasInlineDnsTable()) {
            throw new InvalidTableException(LISTENER_NAME + " " + DNS_FILTER
                    + ": server_config.inline_dns_table is missing (expected: the table of the mesh's names)");
        }
        List<DnsVirtualDomain> domains = config.getServerConfig().getInlineDnsTable().getVirtualDomainsList();
        Map<String, DnsTable.Entry> entries = new TreeMap<>();
        for (int i = 0; i < domains.size(); i++) {
            String field = "virtual_domains[" + i + "]";
            DnsVirtualDomain domain = domains.get(i);
            if (domain.getName().isBlank()) {
                throw new InvalidTableException(field + ".name is empty (expected: a domain name)");
            }
            List<String> texts = domain.getEndpoint().getAddressList().getAddressList();
            if (texts.isEmpty()) {
                throw new InvalidTableException(field + " (" + domain.getName()
                        + "): endpoint.address_list.address is empty (expected: at least one IP address)");
            }
            List<InetAddress> addresses = new ArrayList<>();
            for (int j = 0; j < texts.size(); j++) {
                addresses.add(address(texts.get(j), field + ".endpoint.address_list.address[" + j + "]"));
            }
            Duration ttl = domain.hasAnswerTtl() ? Duration.ofSeconds(domain.getAnswerTtl().getSeconds(),
                    domain.getAnswerTtl().getNanos()) : DEFAULT_TTL;
            if (ttl.isNegative()) {
                throw new InvalidTableException(field + ".answer_ttl is negative (expected: 0s or more)");
            }
            if (entries.put(domain.getName().toLowerCase(Locale.ROOT), new DnsTable.Entry(addresses, ttl))
                    != null) {
                throw new InvalidTableException(field + ".name \"" + domain.getName() + "\" is listed twice");
            }
        }
        return DnsTable.of(entries);
    }

    private static DnsFilterConfig filterConfig(Listener listener) throws InvalidTableException {
        for (ListenerFilter filter : listener.getListenerFiltersList()) {
            if (!filter.getName().equals(DNS_FILTER)) {
                continue;
            }
            Any typed = filter.getTypedConfig();
            if (!typed.getTypeUrl().equals(DNS_FILTER_TYPE_URL)) {
                throw new InvalidTableException(LISTENER_NAME + " " + DNS_FILTER + ": typed_config is "
                        + (typed.getTypeUrl().isEmpty() ? "missing" : typed.getTypeUrl())
                        + " (expected: " + DNS_FILTER_TYPE_URL + ")");
            }
            try {
                return typed.unpack(DnsFilterConfig.class);
            } catch (InvalidProtocolBufferException e) {
                throw new InvalidTableException(LISTENER_NAME + " " + DNS_FILTER + ": typed_config cannot be read: "
                        + e.getMessage());
            }
        }
        throw new InvalidTableException(LISTENER_NAME + " has no listener filter " + DNS_FILTER
                + " (expected: listener_filters[0])");
    }

    private static InetAddress address(String text, String field) throws InvalidTableException {
        Optional<InetAddress> address = IpLiteral.parse(text);
        if (address.isEmpty()) {
            throw new InvalidTableException(field + ": \"" + text + "\" is not an IP address");
        }
        return address.get();
    }
}
