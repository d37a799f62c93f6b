package io.ursa.xds.generator;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.ursa.api.policy.TimeoutSpec;
import io.ursa.api.spec.ProtoDuration;
import io.ursa.xds.envoy.Configurer;
import io.ursa.xds.envoy.Protos;
import io.ursa.xds.envoy.clusters.ClusterConfigurers;
import io.ursa.xds.envoy.listeners.HttpConfigurers;
import io.ursa.xds.envoy.listeners.TcpProxyConfigurers;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * A Timeout policy on an outbound ({@code kuma-2.0-envoy-config.md} §6.1, Kuma's {@code timeout_configurer.go}).
 * Without a matching Timeout: connect timeout 10s and an explicit {@code 0s} (disabled) everywhere else, because
 * Envoy's own defaults differ from Kuma's.
 */
final class TimeoutConfigurers {
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private TimeoutConfigurers() {
    }

    /** Cluster {@code connectTimeout}: the policy's, else 10s. */
    static Configurer<Cluster.Builder> connectTimeout(Optional<TimeoutSpec.Conf> conf) {
        return ClusterConfigurers.connectTimeout(conf.map(TimeoutSpec.Conf::connectTimeout)
                .map(ProtoDuration::value).orElse(DEFAULT_CONNECT_TIMEOUT));
    }

    /** Upstream {@code commonHttpProtocolOptions.idleTimeout}, and {@code maxStreamDuration} when set and not 0. */
    static Configurer<Cluster.Builder> upstreamHttp(Optional<TimeoutSpec.Conf> conf, ServiceProtocol protocol) {
        Configurer<Cluster.Builder> idle = ClusterConfigurers.upstreamIdleTimeout(
                http(conf, TimeoutSpec.Http::idleTimeout));
        Duration maxStream = protocol == ServiceProtocol.GRPC
                ? grpc(conf, TimeoutSpec.Grpc::maxStreamDuration)
                : http(conf, TimeoutSpec.Http::maxStreamDuration);
        if (maxStream.isZero()) {
            return idle;
        }
        Configurer<Cluster.Builder> max = ClusterConfigurers.upstreamMaxStreamDuration(maxStream);
        return cluster -> {
            idle.configure(cluster);
            max.configure(cluster);
        };
    }

    /** tcp_proxy {@code idleTimeout}: the policy's {@code tcp.idleTimeout}, else {@code 0s}. */
    static Configurer<TcpProxy.Builder> tcpIdle(Optional<TimeoutSpec.Conf> conf) {
        return TcpProxyConfigurers.idleTimeout(conf.map(TimeoutSpec.Conf::tcp).map(TimeoutSpec.Tcp::idleTimeout)
                .map(ProtoDuration::value).orElse(Duration.ZERO));
    }

    /**
     * HCM {@code commonHttpProtocolOptions.idleTimeout} and {@code streamIdleTimeout} (for gRPC the HTTP stream idle
     * timeout when set, else the gRPC one).
     */
    static Configurer<HttpConnectionManager.Builder> connectionManager(Optional<TimeoutSpec.Conf> conf,
                                                                      ServiceProtocol protocol) {
        Duration streamIdle = http(conf, TimeoutSpec.Http::streamIdleTimeout);
        if (protocol == ServiceProtocol.GRPC && streamIdle.isZero()) {
            streamIdle = grpc(conf, TimeoutSpec.Grpc::streamIdleTimeout);
        }
        return HttpConfigurers.timeouts(http(conf, TimeoutSpec.Http::idleTimeout), streamIdle);
    }

    /** Route {@code timeout}: the policy's {@code http.requestTimeout}, else {@code 0s}. */
    static Configurer<RouteAction.Builder> route(Optional<TimeoutSpec.Conf> conf) {
        com.google.protobuf.Duration timeout = Protos.duration(http(conf, TimeoutSpec.Http::requestTimeout));
        return action -> action.setTimeout(timeout);
    }

    private static Duration http(Optional<TimeoutSpec.Conf> conf, Function<TimeoutSpec.Http, ProtoDuration> field) {
        return conf.map(TimeoutSpec.Conf::http).map(field).map(ProtoDuration::value).orElse(Duration.ZERO);
    }

    private static Duration grpc(Optional<TimeoutSpec.Conf> conf, Function<TimeoutSpec.Grpc, ProtoDuration> field) {
        return conf.map(TimeoutSpec.Conf::grpc).map(field).map(ProtoDuration::value).orElse(Duration.ZERO);
    }
}
