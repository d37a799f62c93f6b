package io.ursa.xds.generator;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.core.v3.RuntimeFractionalPercent;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import io.envoyproxy.envoy.type.v3.HttpStatus;
import io.envoyproxy.envoy.type.v3.StatusCode;
import io.envoyproxy.envoy.type.v3.TokenBucket;
import io.ursa.api.policy.RateLimitSpec;
import io.ursa.api.resource.Resource;
import io.ursa.xds.envoy.Configurer;
import io.ursa.xds.envoy.Protos;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * RateLimit on an inbound, as Kuma 2.0's {@code rate_limit_configurer.go} (envoy-config §2.4, §6.6): the HTTP
 * connection manager gets {@code envoy.filters.http.local_ratelimit} with no bucket of its own (it passes whatever
 * no route limits), and every matching HTTP RateLimit, most specific first, becomes a route before the fallback
 * that matches its sources by {@code x-kuma-tags} and carries the bucket in {@code typedPerFilterConfig}: at most
 * {@code requests} per {@code interval}, then {@code onRateLimit}'s status (Envoy's 429 without one) and headers.
 * The caller's side ({@link #outboundBucket}) limits the routes of an outbound toward ExternalServices.
 */
final class RateLimitConfigurers {
    static final String FILTER = "envoy.filters.http.local_ratelimit";
    private static final String STAT_PREFIX = "rate_limit";

    private RateLimitConfigurers() {
    }

    /** The HTTP RateLimits of {@code matched} that limit anything (requests and a positive interval). */
    static List<Resource<RateLimitSpec>> httpLimits(List<Resource<RateLimitSpec>> matched) {
        return matched.stream().filter(r -> http(r).isPresent()).toList();
    }

    /** The bucket-less filter, when there is any limit. */
    static Configurer<HttpConnectionManager.Builder> filter(List<Resource<RateLimitSpec>> limits) {
        if (limits.isEmpty()) {
            return hcm -> { };
        }
        return filter();
    }

    /** The bucket-less filter, always (a builtin gateway's connection managers have it, as in Kuma). */
    static Configurer<HttpConnectionManager.Builder> filter() {
        HttpFilter filter = HttpFilter.newBuilder().setName(FILTER)
                .setTypedConfig(Protos.pack(LocalRateLimit.newBuilder().setStatPrefix(STAT_PREFIX).build()))
                .build();
        return hcm -> hcm.addHttpFilters(filter);
    }

    /** One route per limit, in the order given, each to {@code cluster} without a timeout. */
    static List<Route> routes(List<Resource<RateLimitSpec>> limits, String cluster) {
        return limits.stream().map(limit -> Route.newBuilder()
                .setMatch(RouteMatch.newBuilder().setPrefix("/")
                        .addHeaders(KumaTagsMatch.header(limit.spec().sources())))
                .setRoute(RouteAction.newBuilder().setCluster(cluster).setTimeout(Protos.duration(Duration.ZERO)))
                .putTypedPerFilterConfig(FILTER, Protos.pack(bucket(http(limit).orElseThrow())))
                .build()).toList();
    }

    /**
     * The outbound limit of {@code limit}, for the routes of an outbound that go to an ExternalService (Kuma 2.0
     * without zone egress: {@code RateLimitsOutbound} on the external route): the bucket to put in a route's
     * {@code typedPerFilterConfig} under {@value #FILTER}; empty when {@code limit} limits no HTTP request.
     */
    static Optional<Any> outboundBucket(Resource<RateLimitSpec> limit) {
        return http(limit).map(http -> Protos.pack(bucket(http)));
    }

    @SuppressWarnings("deprecation") // HeaderValueOption.append: what Kuma 2.0 writes
    private static LocalRateLimit bucket(RateLimitSpec.Http http) {
        LocalRateLimit.Builder bucket = LocalRateLimit.newBuilder()
                .setStatPrefix(STAT_PREFIX)
                .setTokenBucket(TokenBucket.newBuilder()
                        .setMaxTokens(http.requests())
                        .setTokensPerFill(com.google.protobuf.UInt32Value.of(http.requests()))
                        .setFillInterval(Protos.duration(http.interval().value())))
                .setFilterEnabled(always("local_rate_limit_enabled"))
                .setFilterEnforced(always("local_rate_limit_enforced"));
        RateLimitSpec.OnRateLimit on = http.onRateLimit();
        if (on != null) {
            Optional.ofNullable(on.status()).map(StatusCode::forNumber).filter(c -> c != StatusCode.Empty)
                    .ifPresent(code -> bucket.setStatus(HttpStatus.newBuilder().setCode(code)));
            for (RateLimitSpec.HeaderValue header : on.headers()) {
                HeaderValueOption.Builder option = HeaderValueOption.newBuilder()
                        .setHeader(HeaderValue.newBuilder().setKey(header.key()).setValue(header.value()));
                if (header.append() != null) {
                    option.setAppend(Protos.bool(header.append()));
                }
                bucket.addResponseHeadersToAdd(option);
            }
        }
        return bucket.build();
    }

    private static RuntimeFractionalPercent always(String runtimeKey) {
        return RuntimeFractionalPercent.newBuilder()
                .setDefaultValue(FractionalPercent.newBuilder().setNumerator(100))
                .setRuntimeKey(runtimeKey)
                .build();
    }

    private static Optional<RateLimitSpec.Http> http(Resource<RateLimitSpec> limit) {
        RateLimitSpec.Conf conf = limit.spec().conf();
        return Optional.ofNullable(conf).map(RateLimitSpec.Conf::http)
                .filter(h -> h.requests() > 0 && h.interval() != null && !h.interval().value().isNegative()
                        && !h.interval().value().isZero());
    }
}
