package io.ursa.xds.generator;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.ursa.api.policy.RetrySpec;
import io.ursa.api.spec.ProtoDuration;
import io.ursa.xds.envoy.Configurer;
import io.ursa.xds.envoy.Protos;
import io.ursa.xds.envoy.listeners.TcpProxyConfigurers;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A Retry policy on an outbound ({@code kuma-2.0-envoy-config.md} §6.2, Kuma's {@code retry_configurer.go} and
 * {@code max_connect_attempts_configurer.go}): a retry policy on the virtual host for {@code http} and
 * {@code grpc}, {@code maxConnectAttempts} on the tcp_proxy otherwise. Kuma's quirk is kept: {@code http2} gets
 * no retry policy.
 */
final class RetryConfigurers {
    static final String HTTP_DEFAULT_RETRY_ON = "gateway-error,connect-failure,refused-stream";
    static final String GRPC_DEFAULT_RETRY_ON =
            "cancelled,connect-failure,gateway-error,refused-stream,reset,resource-exhausted,unavailable";
    private static final String RETRIABLE_STATUS_CODES = "retriable-status-codes";

    private RetryConfigurers() {
    }

    /** The virtual host's {@code retryPolicy}; does nothing without a policy or for protocols other than http/grpc. */
    static Configurer<VirtualHost.Builder> virtualHost(Optional<RetrySpec.Conf> conf, ServiceProtocol protocol) {
        Optional<RetryPolicy> policy = switch (protocol) {
            case HTTP -> conf.map(RetrySpec.Conf::http).map(RetryConfigurers::http);
            case GRPC -> conf.map(RetrySpec.Conf::grpc).map(RetryConfigurers::grpc);
            default -> Optional.empty();
        };
        return host -> policy.ifPresent(host::setRetryPolicy);
    }

    /**
     * The retry policy of a route of a builtin gateway (Kuma's gateway {@code retryRouteConfigurers}): the HTTP one
     * for http and http2 (unlike a sidecar's virtual host), the gRPC one for grpc, none otherwise.
     */
    static Optional<RetryPolicy> gatewayRoute(Optional<RetrySpec.Conf> conf, ServiceProtocol protocol) {
        return switch (protocol) {
            case HTTP, HTTP2 -> conf.map(RetrySpec.Conf::http).map(RetryConfigurers::http);
            case GRPC -> conf.map(RetrySpec.Conf::grpc).map(RetryConfigurers::grpc);
            default -> Optional.empty();
        };
    }

    /** tcp_proxy {@code maxConnectAttempts}; does nothing without a policy or without a positive value. */
    static Configurer<TcpProxy.Builder> tcp(Optional<RetrySpec.Conf> conf) {
        return conf.map(RetrySpec.Conf::tcp)
                .filter(tcp -> tcp.maxConnectAttempts() > 0)
                .map(tcp -> TcpProxyConfigurers.maxConnectAttempts(tcp.maxConnectAttempts()))
                .orElse(tcp -> { });
    }

    private static RetryPolicy http(RetrySpec.Http http) {
        List<String> retryOn = new ArrayList<>();
        http.retryOn().forEach(on -> retryOn.add(on == RetrySpec.HttpRetryOn.all_5xx ? "5xx"
                : on.name().replace('_', '-')));
        if (retryOn.isEmpty()) {
            retryOn.add(HTTP_DEFAULT_RETRY_ON);
        }
        if (!http.retriableStatusCodes().isEmpty() && !retryOn.contains(RETRIABLE_STATUS_CODES)) {
            retryOn.add(RETRIABLE_STATUS_CODES);
        }
        RetryPolicy.Builder policy = RetryPolicy.newBuilder().setRetryOn(String.join(",", retryOn));
        http.retriableStatusCodes().forEach(policy::addRetriableStatusCodes);
        http.retriableMethods().forEach(method -> policy.addRetriableRequestHeaders(HeaderMatcher.newBuilder()
                .setName(":method")
                .setStringMatch(StringMatcher.newBuilder().setExact(method.name()))));
        common(policy, http.numRetries(), http.perTryTimeout(), http.backOff());
        return policy.build();
    }

    private static RetryPolicy grpc(RetrySpec.Grpc grpc) {
        String retryOn = grpc.retryOn().isEmpty() ? GRPC_DEFAULT_RETRY_ON
                : String.join(",", grpc.retryOn().stream().map(on -> on.name().replace('_', '-')).toList());
        RetryPolicy.Builder policy = RetryPolicy.newBuilder().setRetryOn(retryOn);
        common(policy, grpc.numRetries(), grpc.perTryTimeout(), grpc.backOff());
        return policy.build();
    }

    private static void common(RetryPolicy.Builder policy, Integer numRetries, ProtoDuration perTryTimeout,
                               RetrySpec.BackOff backOff) {
        if (numRetries != null) {
            policy.setNumRetries(UInt32Value.of(numRetries));
        }
        if (perTryTimeout != null) {
            policy.setPerTryTimeout(Protos.duration(perTryTimeout.value()));
        }
        if (backOff != null && backOff.baseInterval() != null) {
            RetryPolicy.RetryBackOff.Builder retryBackOff = RetryPolicy.RetryBackOff.newBuilder()
                    .setBaseInterval(Protos.duration(backOff.baseInterval().value()));
            if (backOff.maxInterval() != null) {
                retryBackOff.setMaxInterval(Protos.duration(backOff.maxInterval().value()));
            }
            policy.setRetryBackOff(retryBackOff);
        }
    }
}
