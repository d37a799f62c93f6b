package io.ursa.xds.envoy.clusters;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Struct;
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
import io.ursa.xds.names.EnvoyNames;

/**
 * Clusters of one endpoint outside the mesh whose address the user provided (Kuma's "provided endpoint" clusters,
 * e.g. a tracing collector): an IP literal gives a STATIC cluster, a host name a STRICT_DNS one.
 */
public final class ProvidedEndpointConfigurers {
    public static final String TLS_TRANSPORT_SOCKET = "envoy.transport_sockets.tls";

    /** Which addresses Envoy asks DNS for when it resolves a host name. */
    public enum DnsLookup {
        /** IPv4 only (Kuma's choice for a proxy with an IPv4 address). */
        V4_ONLY,
        /** Envoy's default: IPv6 first, then IPv4 (for a proxy with an IPv6 address). */
        AUTO
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
