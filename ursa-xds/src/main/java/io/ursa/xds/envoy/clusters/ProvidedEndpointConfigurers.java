package io.ursa.xds.envoy.clusters;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.ursa.api.spec.NetworkAddresses;
import io.ursa.xds.envoy.Configurer;
import io.ursa.xds.envoy.Protos;
import io.ursa.xds.envoy.endpoints.ClusterLoadAssignments;
import io.ursa.xds.envoy.tls.TlsContexts;
import io.ursa.xds.names.EnvoyNames;
import java.net.Inet6Address;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Clusters of one endpoint outside the mesh whose address the user provided (Kuma's "provided endpoint" clusters,
 * e.g. a tracing collector or an ExternalService): IP literals give a STATIC cluster, host names a STRICT_DNS one.
 */
public final class ProvidedEndpointConfigurers {
    public static final String TLS_TRANSPORT_SOCKET = "envoy.transport_sockets.tls";

    /** Which addresses Envoy asks DNS for when it resolves a host name. */
    public enum DnsLookup {
        /** IPv4 only (Kuma's choice for a proxy with an IPv4 address). */
        V4_ONLY,
        /** Envoy's default: IPv6 first, then IPv4 (for a proxy with an IPv6 address). */
        AUTO;

        /** Kuma's choice for a proxy whose Dataplane address is {@code proxyAddress}: AUTO for IPv6. */
        public static DnsLookup forProxyAddress(String proxyAddress) {
            boolean ipv6 = proxyAddress != null && NetworkAddresses.parseIp(proxyAddress)
                    .map(ip -> ip instanceof Inet6Address).orElse(false);
            return ipv6 ? AUTO : V4_ONLY;
        }
    }

    /** TLS to the endpoints whose metadata holds {@code match}; {@code name} names the entry (Kuma: the host). */
    public record TlsMatch(String name, Map<String, String> match, UpstreamTlsContext context) {
        public TlsMatch {
            requireNonNull(name, "name");
            match = Map.copyOf(requireNonNull(match, "match"));
            requireNonNull(context, "context");
        }
    }

    private ProvidedEndpointConfigurers() {
    }

    /**
     * One endpoint {@code host:port}: a STATIC cluster when {@code host} is an IP literal (see
     * {@link ClusterConfigurers#staticEndpoint}), else a STRICT_DNS cluster with {@code dnsLookupFamily}
     * {@code dnsLookup} and the same load assignment; its {@code altStatName} when the name is not stat-safe.
     */
    public static Configurer<Cluster.Builder> endpoint(String host, int port, DnsLookup dnsLookup) {
        requireNonNull(host, "host");
        requireNonNull(dnsLookup, "dnsLookup");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("invalid port of " + host + ": " + port + " (expected: 1-65535)");
        }
        if (NetworkAddresses.isIp(host)) {
            return ClusterConfigurers.staticEndpoint(host, port);
        }
        Cluster.DnsLookupFamily family = switch (dnsLookup) {
            case V4_ONLY -> Cluster.DnsLookupFamily.V4_ONLY;
            case AUTO -> Cluster.DnsLookupFamily.AUTO;
        };
        Address address = Address.newBuilder()
                .setSocketAddress(SocketAddress.newBuilder().setAddress(host).setPortValue(port))
                .build();
        return cluster -> {
            cluster.setType(Cluster.DiscoveryType.STRICT_DNS)
                    .setDnsLookupFamily(family)
                    .setLoadAssignment(ClusterLoadAssignment.newBuilder()
                            .setClusterName(cluster.getName())
                            .addEndpoints(LocalityLbEndpoints.newBuilder()
                                    .addLbEndpoints(LbEndpoint.newBuilder()
                                            .setEndpoint(Endpoint.newBuilder().setAddress(address)))));
            EnvoyNames.altStatName(cluster.getName()).ifPresent(cluster::setAltStatName);
        };
    }

    /**
     * Several endpoints, all IP literals (a STATIC cluster) or all host names (STRICT_DNS with
     * {@code dnsLookupFamily} {@code dnsLookup}), inline in the load assignment named after the cluster with their
     * tags as metadata and one locality per zone ({@link ClusterLoadAssignments#of}, envoy-config §3.7, §3.8, Kuma's
     * {@code ProvidedEndpointClusterConfigurer}); its {@code altStatName} when the name is not stat-safe.
     *
     * @throws IllegalArgumentException when {@code endpoints} is empty or mixes IP literals and host names, which
     *         Envoy cannot resolve in one cluster
     */
    public static Configurer<Cluster.Builder> endpoints(List<io.ursa.xds.context.Endpoint> endpoints,
                                                        DnsLookup dnsLookup) {
        requireNonNull(endpoints, "endpoints");
        requireNonNull(dnsLookup, "dnsLookup");
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("a provided-endpoint cluster needs at least one endpoint");
        }
        List<String> ips = endpoints.stream().map(io.ursa.xds.context.Endpoint::address)
                .filter(NetworkAddresses::isIp).distinct().toList();
        List<String> names = endpoints.stream().map(io.ursa.xds.context.Endpoint::address)
                .filter(a -> !NetworkAddresses.isIp(a)).distinct().toList();
        if (!ips.isEmpty() && !names.isEmpty()) {
            throw new IllegalArgumentException("its endpoints mix IP addresses " + ips + " and host names " + names
                    + " (expected: all IP addresses or all host names)");
        }
        return cluster -> {
            if (names.isEmpty()) {
                cluster.setType(Cluster.DiscoveryType.STATIC);
            } else {
                cluster.setType(Cluster.DiscoveryType.STRICT_DNS).setDnsLookupFamily(switch (dnsLookup) {
                    case V4_ONLY -> Cluster.DnsLookupFamily.V4_ONLY;
                    case AUTO -> Cluster.DnsLookupFamily.AUTO;
                });
            }
            cluster.setLoadAssignment(ClusterLoadAssignments.of(cluster.getName(), endpoints));
            EnvoyNames.altStatName(cluster.getName()).ifPresent(cluster::setAltStatName);
        };
    }

    /**
     * A LOGICAL_DNS cluster of the one endpoint {@code host:port}, inline in the load assignment named after the
     * cluster: the form of a host-name endpoint that proxyless gRPC accepts (grpc-xds takes EDS, LOGICAL_DNS with
     * exactly one endpoint, and aggregate clusters, not STATIC or STRICT_DNS). The client resolves the name itself
     * and connects to the addresses it gets.
     */
    public static Configurer<Cluster.Builder> logicalDns(String host, int port) {
        requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("invalid port of " + host + ": " + port + " (expected: 1-65535)");
        }
        Address address = Address.newBuilder()
                .setSocketAddress(SocketAddress.newBuilder().setAddress(host).setPortValue(port))
                .build();
        return cluster -> cluster.setType(Cluster.DiscoveryType.LOGICAL_DNS)
                .setLoadAssignment(ClusterLoadAssignment.newBuilder()
                        .setClusterName(cluster.getName())
                        .addEndpoints(LocalityLbEndpoints.newBuilder()
                                .addLbEndpoints(LbEndpoint.newBuilder()
                                        .setEndpoint(Endpoint.newBuilder().setAddress(address)))));
    }

    /**
     * {@code transportSocketMatches}: one entry per {@code matches} element, in order, each a TLS transport socket
     * used for the endpoints whose {@code envoy.transport_socket_match} metadata holds its {@code match} (Kuma's
     * {@code ClientSideTLSConfigurer}).
     */
    public static Configurer<Cluster.Builder> tlsMatches(List<TlsMatch> matches) {
        List<Cluster.TransportSocketMatch> built = requireNonNull(matches, "matches").stream()
                .map(m -> {
                    Struct.Builder match = Struct.newBuilder();
                    new TreeMap<>(m.match()).forEach((key, value) ->
                            match.putFields(key, Value.newBuilder().setStringValue(value).build()));
                    return Cluster.TransportSocketMatch.newBuilder()
                            .setName(m.name())
                            .setMatch(match)
                            .setTransportSocket(TlsContexts.transportSocket(m.context()))
                            .build();
                })
                .toList();
        return cluster -> cluster.addAllTransportSocketMatches(built);
    }

    /**
     * TLS to the endpoint: one {@code transportSocketMatches} entry named {@code host} that matches every endpoint
     * ({@code match: {}}), with an {@code UpstreamTlsContext} that allows renegotiation and sends {@code host} as
     * SNI when it is a host name (SNI cannot carry an IP address). The server certificate is not verified: the
     * backend configuration has no CA to verify it with (as in Kuma 2.0).
     */
    public static Configurer<Cluster.Builder> tls(String host) {
        requireNonNull(host, "host");
        UpstreamTlsContext.Builder context = UpstreamTlsContext.newBuilder().setAllowRenegotiation(true);
        if (!NetworkAddresses.isIp(host)) {
            context.setSni(host);
        }
        Cluster.TransportSocketMatch match = Cluster.TransportSocketMatch.newBuilder()
                .setName(host)
                .setMatch(Struct.getDefaultInstance())
                .setTransportSocket(TransportSocket.newBuilder()
                        .setName(TLS_TRANSPORT_SOCKET)
                        .setTypedConfig(Protos.pack(context.build())))
                .build();
        return cluster -> cluster.addTransportSocketMatches(match);
    }
}
