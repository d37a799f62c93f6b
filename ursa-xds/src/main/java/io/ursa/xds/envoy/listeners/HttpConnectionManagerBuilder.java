package io.ursa.xds.envoy.listeners;

import static java.util.Objects.requireNonNull;

import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.ursa.xds.envoy.Configurer;
import io.ursa.xds.envoy.Protos;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds an {@link HttpConnectionManager} from a stat prefix and ordered configurers (see
 * {@link HttpConfigurers}), then appends the router filter: it is always the last HTTP filter, and an HCM
 * without it is rejected by Envoy and gRPC alike.
 */
public final class HttpConnectionManagerBuilder {
    public static final String ROUTER_FILTER = "envoy.filters.http.router";

    private final String statPrefix;
    private final List<Configurer<HttpConnectionManager.Builder>> configurers = new ArrayList<>();

    private HttpConnectionManagerBuilder(String statPrefix) {
        this.statPrefix = statPrefix;
    }

    public static HttpConnectionManagerBuilder withStatPrefix(String statPrefix) {
        requireNonNull(statPrefix, "statPrefix");
        if (statPrefix.isEmpty()) {
            throw new IllegalArgumentException("invalid stat prefix: \"\" (expected: a non-empty prefix)");
        }
        return new HttpConnectionManagerBuilder(statPrefix);
    }

    public HttpConnectionManagerBuilder configure(Configurer<HttpConnectionManager.Builder> configurer) {
        configurers.add(requireNonNull(configurer, "configurer"));
        return this;
    }

    /** Applies the configurers in order and appends the router filter. */
    public HttpConnectionManager build() {
        HttpConnectionManager.Builder proto = HttpConnectionManager.newBuilder().setStatPrefix(statPrefix);
        configurers.forEach(c -> c.configure(proto));
        if (!proto.hasRouteConfig() && !proto.hasRds()) {
            throw new IllegalStateException("HTTP connection manager " + statPrefix
                    + " has no route configuration (expected: an inline one or RDS)");
        }
        proto.addHttpFilters(HttpFilter.newBuilder()
                .setName(ROUTER_FILTER)
                .setTypedConfig(Protos.pack(Router.getDefaultInstance())));
        return proto.build();
    }
}
