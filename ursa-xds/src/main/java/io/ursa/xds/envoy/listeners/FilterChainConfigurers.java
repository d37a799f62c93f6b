package io.ursa.xds.envoy.listeners;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.core.v3.CidrRange;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.ursa.api.spec.NetworkAddresses;
import io.ursa.xds.envoy.Configurer;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;

/**
 * The single-aspect configurers of a {@link FilterChain} (see
 * {@link ListenerConfigurers#filterChain(List, List)}): what it matches and its transport socket.
 */
public final class FilterChainConfigurers {
    /** {@code filterChainMatch.transportProtocol} of a plaintext connection (needs the TLS inspector). */
    public static final String RAW_BUFFER = "raw_buffer";
    /** {@code filterChainMatch.transportProtocol} of a TLS connection (needs the TLS inspector). */
    public static final String TLS = "tls";

    private FilterChainConfigurers() {
    }

    /** {@code filterChainMatch.transportProtocol}. */
    public static Configurer<FilterChain.Builder> transportProtocol(String protocol) {
        requireNonNull(protocol, "protocol");
        return chain -> chain.getFilterChainMatchBuilder().setTransportProtocol(protocol);
    }

    /** {@code filterChainMatch.serverNames}: the SNI values the chain is for (needs the TLS inspector). */
    public static Configurer<FilterChain.Builder> serverNames(List<String> names) {
        List<String> copy = List.copyOf(names);
        return chain -> chain.getFilterChainMatchBuilder().addAllServerNames(copy);
    }

    /** {@code filterChainMatch.applicationProtocols}: the ALPN protocols offered by the client. */
    public static Configurer<FilterChain.Builder> applicationProtocols(List<String> protocols) {
        List<String> copy = List.copyOf(protocols);
        return chain -> chain.getFilterChainMatchBuilder().addAllApplicationProtocols(copy);
    }

    /**
     * {@code filterChainMatch.sourcePrefixRanges: [{addressPrefix: ip, prefixLen: 32}]} (128 for an IPv6
     * address): connections from that one address.
     *
     * @throws IllegalArgumentException when {@code ip} is not an IP literal
     */
    public static Configurer<FilterChain.Builder> sourceAddress(String ip) {
        InetAddress address = NetworkAddresses.parseIp(requireNonNull(ip, "ip")).orElseThrow(() ->
                new IllegalArgumentException("invalid source address: \"" + ip + "\" (expected: an IP literal)"));
        CidrRange range = CidrRange.newBuilder()
                .setAddressPrefix(ip)
                .setPrefixLen(UInt32Value.of(address instanceof Inet6Address ? 128 : 32))
                .build();
        return chain -> chain.getFilterChainMatchBuilder().addSourcePrefixRanges(range);
    }

    /** The chain's {@code transportSocket} (e.g. TLS). */
    public static Configurer<FilterChain.Builder> transportSocket(TransportSocket socket) {
        requireNonNull(socket, "socket");
        return chain -> chain.setTransportSocket(socket);
    }
}
