package io.ursa.xds.envoy.listeners;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.ursa.xds.envoy.Configurer;
import io.ursa.xds.envoy.Protos;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The single-aspect configurers of a {@link Listener}. */
public final class ListenerConfigurers {
    /** The filter-metadata key under which a listener carries its inbound's tags. */
    public static final String TAGS_METADATA_KEY = "io.kuma.tags";
    public static final String TLS_INSPECTOR = "envoy.filters.listener.tls_inspector";

    private ListenerConfigurers() {
    }

    /**
     * An inbound (TCP) listener on {@code ip:port}: the socket address, {@code trafficDirection: INBOUND} and an
     * explicit {@code enableReusePort: false} (Kuma sets it true only for UDP).
     */
    public static Configurer<Listener.Builder> inbound(String ip, int port) {
        Address address = socketAddress(ip, port);
        return listener -> listener
                .setAddress(address)
                .setTrafficDirection(TrafficDirection.INBOUND)
                .setEnableReusePort(Protos.bool(false));
    }

    /**
     * An inbound UDP listener on {@code ip:port}: the socket address with {@code protocol: UDP},
     * {@code trafficDirection: INBOUND} and {@code enableReusePort: true} (Kuma's {@code InboundListener} for UDP).
     */
    public static Configurer<Listener.Builder> udpInbound(String ip, int port) {
        Address tcp = socketAddress(ip, port);
        Address address = tcp.toBuilder().setSocketAddress(tcp.getSocketAddress().toBuilder()
                .setProtocol(SocketAddress.Protocol.UDP)).build();
        return listener -> listener
                .setAddress(address)
                .setTrafficDirection(TrafficDirection.INBOUND)
                .setEnableReusePort(Protos.bool(true));
    }

    /** Appends the listener filter {@code name} with {@code config} as its typed config. */
    public static Configurer<Listener.Builder> listenerFilter(String name, com.google.protobuf.Message config) {
        ListenerFilter filter = ListenerFilter.newBuilder()
                .setName(requireNonNull(name, "name"))
                .setTypedConfig(Protos.pack(config))
                .build();
        return listener -> listener.addListenerFilters(filter);
    }

    /** An outbound listener on {@code ip:port}: the socket address and {@code trafficDirection: OUTBOUND}. */
    public static Configurer<Listener.Builder> outbound(String ip, int port) {
        Address address = socketAddress(ip, port);
        return listener -> listener.setAddress(address).setTrafficDirection(TrafficDirection.OUTBOUND);
    }

    /**
     * {@code useOriginalDst: true}: a connection redirected here (by iptables) is handed to the listener bound to
     * its original destination, and stays on this one only when there is none (Kuma's
     * {@code OriginalDstForwarder}).
     */
    public static Configurer<Listener.Builder> originalDstForwarder() {
        return listener -> listener.setUseOriginalDst(Protos.bool(true));
    }

    /**
     * {@code bindToPort: false}: the listener opens no socket and only receives the connections a
     * {@link #originalDstForwarder()} listener hands to it by original destination (transparent proxying).
     */
    public static Configurer<Listener.Builder> notBound() {
        return listener -> listener.setBindToPort(Protos.bool(false));
    }

    /** {@code metadata.filterMetadata["io.kuma.tags"]}: the tags as a string map (keys sorted). */
    public static Configurer<Listener.Builder> tagsMetadata(Map<String, String> tags) {
        Struct.Builder struct = Struct.newBuilder();
        new TreeMap<>(requireNonNull(tags, "tags")).forEach((key, value) ->
                struct.putFields(key, Value.newBuilder().setStringValue(value).build()));
        Metadata metadata = Metadata.newBuilder().putFilterMetadata(TAGS_METADATA_KEY, struct.build()).build();
        return listener -> listener.setMetadata(metadata);
    }

    /**
     * Appends the {@code envoy.filters.listener.tls_inspector} listener filter, which lets filter chains match on
     * {@code transportProtocol: tls} and ALPN.
     */
    public static Configurer<Listener.Builder> tlsInspector() {
        return listenerFilter(TLS_INSPECTOR, TlsInspector.getDefaultInstance());
    }

    /** Appends a filter chain made of {@code filters}, in order, with no match and no transport socket. */
    public static Configurer<Listener.Builder> filterChain(List<Filter> filters) {
        return filterChain(filters, List.of());
    }

    /**
     * Appends one empty filter chain ({@code filterChains: [{}]}): the listener binds its port and closes every
     * connection, as Kuma's outbound listener of a service no TrafficRoute routes.
     */
    public static Configurer<Listener.Builder> emptyFilterChain() {
        return listener -> listener.addFilterChains(FilterChain.getDefaultInstance());
    }

    /**
     * Appends a filter chain made of {@code filters}, in order, whose match and transport socket the
     * {@code configurers} set, in order (see {@link FilterChainConfigurers}).
     */
    public static Configurer<Listener.Builder> filterChain(List<Filter> filters,
                                                           List<Configurer<FilterChain.Builder>> configurers) {
        if (filters.isEmpty()) {
            throw new IllegalArgumentException("invalid filter chain: no filters (expected: at least one)");
        }
        FilterChain.Builder builder = FilterChain.newBuilder().addAllFilters(filters);
        configurers.forEach(c -> c.configure(builder));
        FilterChain chain = builder.build();
        return listener -> listener.addFilterChains(chain);
    }

    /** A TCP socket address. */
    public static Address socketAddress(String ip, int port) {
        requireNonNull(ip, "ip");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("invalid port: " + port + " (expected: 1-65535)");
        }
        return Address.newBuilder()
                .setSocketAddress(SocketAddress.newBuilder().setAddress(ip).setPortValue(port))
                .build();
    }
}
