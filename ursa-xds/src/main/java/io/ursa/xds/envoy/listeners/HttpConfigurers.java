package io.ursa.xds.envoy.listeners;

import static java.util.Objects.requireNonNull;

import io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.grpc_stats.v3.FilterConfig;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.ForwardClientCertDetails;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.SetCurrentClientCertDetails;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.ursa.xds.envoy.Configurer;
import io.ursa.xds.envoy.Protos;
import java.time.Duration;

/** The single-aspect configurers of an {@link HttpConnectionManager}. */
public final class HttpConfigurers {
    public static final String GRPC_STATS_FILTER = "envoy.filters.http.grpc_stats";
    public static final String RBAC_FILTER = "envoy.filters.http.rbac";
    /** The header the outbound side adds with the source's tags and the inbound side removes. */
    public static final String KUMA_TAGS_HEADER = "x-kuma-tags";

    private HttpConfigurers() {
    }

    /**
     * {@code forwardClientCertDetails: SANITIZE_SET} with {@code setCurrentClientCertDetails.uri}: the application
     * receives {@code x-forwarded-client-cert} with the peer's SPIFFE URI (set on every inbound, mTLS or not).
     */
    public static Configurer<HttpConnectionManager.Builder> forwardClientCertUri() {
        return hcm -> hcm
                .setForwardClientCertDetails(ForwardClientCertDetails.SANITIZE_SET)
                .setSetCurrentClientCertDetails(SetCurrentClientCertDetails.newBuilder().setUri(true));
    }

    /** {@code commonHttpProtocolOptions.idleTimeout} and {@code streamIdleTimeout}. */
    public static Configurer<HttpConnectionManager.Builder> timeouts(Duration idle, Duration streamIdle) {
        HttpProtocolOptions common = HttpProtocolOptions.newBuilder().setIdleTimeout(Protos.duration(idle)).build();
        com.google.protobuf.Duration stream = Protos.duration(streamIdle);
        return hcm -> hcm.setCommonHttpProtocolOptions(common).setStreamIdleTimeout(stream);
    }

    /** Appends {@code envoy.filters.http.grpc_stats} with {@code emitFilterState: true}. */
    public static Configurer<HttpConnectionManager.Builder> grpcStats() {
        HttpFilter filter = HttpFilter.newBuilder()
                .setName(GRPC_STATS_FILTER)
                .setTypedConfig(Protos.pack(FilterConfig.newBuilder().setEmitFilterState(true).build()))
                .build();
        return hcm -> hcm.addHttpFilters(filter);
    }

    /**
     * Appends the HTTP RBAC filter ({@code envoy.filters.http.rbac}) enforcing {@code rules} on every request: what
     * a proxyless gRPC server applies, since it has no network filters.
     */
    public static Configurer<HttpConnectionManager.Builder> rbac(io.envoyproxy.envoy.config.rbac.v3.RBAC rules) {
        HttpFilter filter = HttpFilter.newBuilder()
                .setName(RBAC_FILTER)
                .setTypedConfig(Protos.pack(io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.newBuilder()
                        .setRules(requireNonNull(rules, "rules"))
                        .build()))
                .build();
        return hcm -> hcm.addHttpFilters(filter);
    }

    /** An inline route configuration (Kuma's sidecars never use RDS). */
    public static Configurer<HttpConnectionManager.Builder> inlineRoutes(RouteConfiguration routes) {
        requireNonNull(routes, "routes");
        return hcm -> hcm.setRouteConfig(routes);
    }

    /**
     * The route configuration of an inbound: {@code routeConfigName}, {@code validateClusters: false}, the
     * {@code x-kuma-tags} header removed, and one virtual host {@code service} for every domain with a single
     * route {@code prefix: /} to {@code cluster} without a timeout ({@code 0s}).
     */
    public static RouteConfiguration inboundRoutes(String routeConfigName, String service, String cluster) {
        return inboundRoutes(routeConfigName, service, cluster, java.util.List.of());
    }

    /** Like {@link #inboundRoutes(String, String, String)}, with {@code first} before the fallback route. */
    public static RouteConfiguration inboundRoutes(String routeConfigName, String service, String cluster,
                                                   java.util.List<Route> first) {
        Route route = Route.newBuilder()
                .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                .setRoute(RouteAction.newBuilder()
                        .setCluster(requireNonNull(cluster, "cluster"))
                        .setTimeout(Protos.duration(Duration.ZERO)))
                .build();
        return RouteConfiguration.newBuilder()
                .setName(requireNonNull(routeConfigName, "routeConfigName"))
                .setValidateClusters(Protos.bool(false))
                .addRequestHeadersToRemove(KUMA_TAGS_HEADER)
                .addVirtualHosts(VirtualHost.newBuilder()
                        .setName(requireNonNull(service, "service"))
                        .addDomains("*")
                        .addAllRoutes(first)
                        .addRoutes(route))
                .build();
    }
}
