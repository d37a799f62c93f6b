package io.ursa.xds.envoy.clusters;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.BindConfig;
import io.envoyproxy.envoy.config.core.v3.Http1ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.Pipe;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.ursa.xds.envoy.Configurer;
import io.ursa.xds.envoy.Protos;
import io.ursa.xds.names.EnvoyNames;
import java.time.Duration;
import java.util.function.Consumer;

/** The single-aspect configurers of a {@link Cluster}. */
public final class ClusterConfigurers {
    /** The key of {@code typedExtensionProtocolOptions} that carries the upstream HTTP protocol options. */
    public static final String HTTP_PROTOCOL_OPTIONS_KEY = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";

    /** The HTTP version a cluster speaks to its upstream. */
    public enum UpstreamHttp {
        HTTP1,
        HTTP2
    }

    private ClusterConfigurers() {
    }

    /**
     * A STATIC cluster with one endpoint {@code ip:port} (no weight, no metadata), and its {@code altStatName}
     * when the cluster name is not stat-safe. The load assignment is named after the cluster.
     */
    public static Configurer<Cluster.Builder> staticEndpoint(String ip, int port) {
        requireNonNull(ip, "ip");
        return staticEndpoint(Address.newBuilder()
                .setSocketAddress(SocketAddress.newBuilder().setAddress(ip).setPortValue(port))
                .build());
    }

    /**
     * Type STATIC with one endpoint on the unix socket {@code path} (Envoy's {@code pipe} address) and the
     * {@code altStatName} of the cluster's name, like {@link #staticEndpoint(String, int)}.
     */
    public static Configurer<Cluster.Builder> pipeEndpoint(String path) {
        requireNonNull(path, "path");
        return staticEndpoint(Address.newBuilder().setPipe(Pipe.newBuilder().setPath(path)).build());
    }

    private static Configurer<Cluster.Builder> staticEndpoint(Address address) {
        return cluster -> {
            cluster.setType(Cluster.DiscoveryType.STATIC)
                    .setLoadAssignment(ClusterLoadAssignment.newBuilder()
                            .setClusterName(cluster.getName())
                            .addEndpoints(LocalityLbEndpoints.newBuilder()
                                    .addLbEndpoints(LbEndpoint.newBuilder()
                                            .setEndpoint(io.envoyproxy.envoy.config.endpoint.v3.Endpoint.newBuilder()
                                                    .setAddress(address)))));
            EnvoyNames.altStatName(cluster.getName()).ifPresent(cluster::setAltStatName);
        };
    }

    /**
     * An ORIGINAL_DST cluster: {@code lbPolicy: CLUSTER_PROVIDED}, no load assignment (each connection goes to its
     * original destination), and its {@code altStatName} when the name is not stat-safe (Kuma's
     * {@code PassThroughCluster}).
     */
    public static Configurer<Cluster.Builder> originalDestination() {
        return cluster -> {
            cluster.setType(Cluster.DiscoveryType.ORIGINAL_DST)
                    .setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED)
                    .clearLoadAssignment();
            EnvoyNames.altStatName(cluster.getName()).ifPresent(cluster::setAltStatName);
        };
    }

    /**
     * {@code upstreamBindConfig.sourceAddress}: upstream connections are made from {@code ip}, on a port the
     * kernel picks ({@code portValue: 0}, set explicitly: it is a oneof member, as in Kuma).
     */
    public static Configurer<Cluster.Builder> upstreamBindAddress(String ip) {
        BindConfig bind = BindConfig.newBuilder()
                .setSourceAddress(SocketAddress.newBuilder().setAddress(requireNonNull(ip, "ip")).setPortValue(0))
                .build();
        return cluster -> cluster.setUpstreamBindConfig(bind);
    }

    /** The cluster's {@code transportSocket} (e.g. TLS to its endpoints). */
    public static Configurer<Cluster.Builder> transportSocket(TransportSocket socket) {
        requireNonNull(socket, "socket");
        return cluster -> cluster.setTransportSocket(socket);
    }

    /** {@code connectTimeout}. */
    public static Configurer<Cluster.Builder> connectTimeout(Duration timeout) {
        com.google.protobuf.Duration value = Protos.duration(timeout);
        return cluster -> cluster.setConnectTimeout(value);
    }

    /**
     * The upstream HTTP protocol options: {@code commonHttpProtocolOptions.idleTimeout} and an explicit HTTP/1.1
     * or HTTP/2 config, under {@value #HTTP_PROTOCOL_OPTIONS_KEY}.
     */
    public static Configurer<Cluster.Builder> upstreamHttp(UpstreamHttp version, Duration idleTimeout) {
        HttpProtocolOptions.ExplicitHttpConfig.Builder explicit = HttpProtocolOptions.ExplicitHttpConfig.newBuilder();
        switch (requireNonNull(version, "version")) {
            case HTTP1 -> explicit.setHttpProtocolOptions(Http1ProtocolOptions.getDefaultInstance());
            case HTTP2 -> explicit.setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance());
        }
        HttpProtocolOptions options = HttpProtocolOptions.newBuilder()
                .setCommonHttpProtocolOptions(io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions.newBuilder()
                        .setIdleTimeout(Protos.duration(idleTimeout)))
                .setExplicitHttpConfig(explicit)
                .build();
        return cluster -> cluster.putTypedExtensionProtocolOptions(HTTP_PROTOCOL_OPTIONS_KEY, Protos.pack(options));
    }
    /**
     * An EDS cluster whose endpoints come over ADS (v3), looked up by the cluster's own name (no
     * {@code serviceName}), and its {@code altStatName} when the name is not stat-safe.
     */
    public static Configurer<Cluster.Builder> eds() {
        Cluster.EdsClusterConfig eds = Cluster.EdsClusterConfig.newBuilder()
                .setEdsConfig(ConfigSource.newBuilder()
                        .setAds(AggregatedConfigSource.getDefaultInstance())
                        .setResourceApiVersion(ApiVersion.V3))
                .build();
        return cluster -> {
            cluster.setType(Cluster.DiscoveryType.EDS).setEdsClusterConfig(eds);
            EnvoyNames.altStatName(cluster.getName()).ifPresent(cluster::setAltStatName);
        };
    }

    /**
     * {@code explicitHttpConfig.http2ProtocolOptions: {}} in the upstream HTTP protocol options, kept together with
     * what other configurers put there (unlike {@link #upstreamHttp}, which replaces them).
     */
    public static Configurer<Cluster.Builder> upstreamHttp2() {
        return upstreamExplicitHttp(UpstreamHttp.HTTP2);
    }

    /**
     * {@code explicitHttpConfig} ({@code httpProtocolOptions: {}} or {@code http2ProtocolOptions: {}}) in the
     * upstream HTTP protocol options, kept together with what other configurers put there.
     */
    public static Configurer<Cluster.Builder> upstreamExplicitHttp(UpstreamHttp version) {
        HttpProtocolOptions.ExplicitHttpConfig.Builder explicit = HttpProtocolOptions.ExplicitHttpConfig.newBuilder();
        switch (requireNonNull(version, "version")) {
            case HTTP1 -> explicit.setHttpProtocolOptions(Http1ProtocolOptions.getDefaultInstance());
            case HTTP2 -> explicit.setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance());
        }
        return mergeHttpOptions(options -> options.setExplicitHttpConfig(explicit));
    }

    /** {@code commonHttpProtocolOptions.idleTimeout} of the upstream HTTP protocol options (merged). */
    public static Configurer<Cluster.Builder> upstreamIdleTimeout(Duration idleTimeout) {
        com.google.protobuf.Duration value = Protos.duration(idleTimeout);
        return mergeHttpOptions(options -> options.getCommonHttpProtocolOptionsBuilder().setIdleTimeout(value));
    }

    /** {@code commonHttpProtocolOptions.maxStreamDuration} of the upstream HTTP protocol options (merged). */
    public static Configurer<Cluster.Builder> upstreamMaxStreamDuration(Duration maxStreamDuration) {
        com.google.protobuf.Duration value = Protos.duration(maxStreamDuration);
        return mergeHttpOptions(options -> options.getCommonHttpProtocolOptionsBuilder().setMaxStreamDuration(value));
    }

    private static Configurer<Cluster.Builder> mergeHttpOptions(Consumer<HttpProtocolOptions.Builder> change) {
        return cluster -> {
            HttpProtocolOptions.Builder options = HttpProtocolOptions.newBuilder();
            Any existing = cluster.getTypedExtensionProtocolOptionsMap().get(HTTP_PROTOCOL_OPTIONS_KEY);
            if (existing != null) {
                try {
                    options.mergeFrom(Protos.unpack(existing, HttpProtocolOptions.getDefaultInstance()));
                } catch (InvalidProtocolBufferException e) {
                    throw new IllegalStateException("cluster " + cluster.getName() + " has " + HTTP_PROTOCOL_OPTIONS_KEY
                            + " of type " + existing.getTypeUrl() + " (expected: HttpProtocolOptions)", e);
                }
            }
            change.accept(options);
            cluster.putTypedExtensionProtocolOptions(HTTP_PROTOCOL_OPTIONS_KEY, Protos.pack(options.build()));
        };
    }
}
