package io.ursa.xds.generator.template;

import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.ursa.xds.envoy.Protos;
import io.ursa.xds.envoy.listeners.NetworkFilters;
import java.util.function.UnaryOperator;

/**
 * Rewrites the HTTP connection managers of a listener, as Kuma's {@code httpFilter} and {@code virtualHost}
 * modifications reach them: the {@code envoy.filters.network.http_connection_manager} filters of every filter
 * chain in {@code filter_chains} (the default filter chain is left alone, as in Kuma). Stateless.
 */
final class HttpConnectionManagers {
    private HttpConnectionManagers() {
    }

    /** {@code listener} with {@code change} applied to each of its connection managers. */
    static Listener rewrite(Listener listener, UnaryOperator<HttpConnectionManager> change) {
        Listener.Builder builder = listener.toBuilder();
        for (int c = 0; c < builder.getFilterChainsCount(); c++) {
            FilterChain.Builder chain = builder.getFilterChainsBuilder(c);
            for (int f = 0; f < chain.getFiltersCount(); f++) {
                Filter filter = chain.getFilters(f);
                if (!filter.getName().equals(NetworkFilters.HTTP_CONNECTION_MANAGER)) {
                    continue;
                }
                if (!filter.hasTypedConfig()) {
                    throw new IllegalArgumentException("the " + filter.getName() + " filter of listener "
                            + listener.getName() + " has no typedConfig");
                }
                HttpConnectionManager hcm = TypedConfigs.unpack(filter.getTypedConfig(),
                        HttpConnectionManager.getDefaultInstance());
                HttpConnectionManager changed = change.apply(hcm);
                if (!changed.equals(hcm)) {
                    chain.setFilters(f, filter.toBuilder().setTypedConfig(Protos.pack(changed)));
                }
            }
        }
        return builder.build();
    }
}
