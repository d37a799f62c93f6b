package io.ursa.xds.envoy.listeners;

import static java.util.Objects.requireNonNull;

import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.ursa.xds.envoy.Protos;
import io.ursa.xds.names.EnvoyNames;
import java.util.List;

/**
 * An HTTP connection manager that serves a few fixed path prefixes, each forwarded with its prefix rewritten to
 * one cluster (Kuma's {@code StaticEndpointsConfigurer}): the Envoy admin exposure and the Prometheus listener.
 * Stat prefix: the stat name of the virtual host; route configuration inline, unnamed, with
 * {@code validateClusters: false} and one virtual host for every domain.
 */
public final class StaticEndpoints {

    /** Requests whose path starts with {@code prefix} go to {@code cluster} with that prefix replaced by {@code rewrite}. */
    public record Path(String prefix, String cluster, String rewrite) {
        public Path {
            requireNonNull(prefix, "prefix");
            requireNonNull(cluster, "cluster");
            requireNonNull(rewrite, "rewrite");
            if (!prefix.startsWith("/")) {
                throw new IllegalArgumentException("invalid path prefix: \"" + prefix + "\" (expected: a path "
                        + "starting with /)");
            }
        }
    }

    private StaticEndpoints() {
    }

    /** The HTTP connection manager filter serving {@code paths}, in order, under {@code virtualHost}. */
    public static Filter filter(String virtualHost, List<Path> paths) {
        requireNonNull(virtualHost, "virtualHost");
        if (requireNonNull(paths, "paths").isEmpty()) {
            throw new IllegalArgumentException("invalid static endpoints of " + virtualHost
                    + ": no paths (expected: at least one)");
        }
        VirtualHost.Builder host = VirtualHost.newBuilder().setName(virtualHost).addDomains("*");
        for (Path path : paths) {
            host.addRoutes(Route.newBuilder()
                    .setMatch(RouteMatch.newBuilder().setPrefix(path.prefix()))
                    .setRoute(RouteAction.newBuilder().setCluster(path.cluster()).setPrefixRewrite(path.rewrite())));
        }
        RouteConfiguration routes = RouteConfiguration.newBuilder()
                .setValidateClusters(Protos.bool(false))
                .addVirtualHosts(host)
                .build();
        return NetworkFilters.httpConnectionManager(
                HttpConnectionManagerBuilder.withStatPrefix(EnvoyNames.statName(virtualHost))
                        .configure(HttpConfigurers.inlineRoutes(routes))
                        .build());
    }
}
