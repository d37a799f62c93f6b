package io.ursa.xds.generator.template;

import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.ursa.api.policy.ProxyTemplateSpec.Change;
import io.ursa.api.policy.ProxyTemplateSpec.FilterMatch;
import io.ursa.xds.envoy.StrictEnvoyYaml;
import io.ursa.xds.resources.EnvoyType;
import java.util.function.UnaryOperator;

/**
 * The {@code networkFilter} and {@code httpFilter} modifications (Kuma 2.0's {@code network_filter.go} and
 * {@code http_filter.go}): on every listener the match selects (by {@code listenerName}, {@code origin} and
 * {@code listenerTags}, each when set), on every chain of its {@code filter_chains}, the operation of
 * {@link FilterLists} on the chain's network filters, or on the HTTP filters of each of its HTTP connection
 * managers. A patch merges the value's {@code typedConfig} into the filter's ({@link TypedConfigs}); the value is
 * parsed strictly into a {@code Filter} or {@code HttpFilter} whatever the operation.
 */
final class FilterModifier implements Modifier {
    private static final FilterLists<Filter> NETWORK = new FilterLists<>(Filter::getName);
    private static final FilterLists<HttpFilter> HTTP = new FilterLists<>(HttpFilter::getName);

    private final FilterMatch match;
    private final UnaryOperator<Listener> change;

    private FilterModifier(FilterMatch match, UnaryOperator<Listener> change) {
        this.match = match;
        this.change = change;
    }

    static FilterModifier network(Change<FilterMatch> modification) {
        Filter value = StrictEnvoyYaml.parse(modification.value(), Filter.getDefaultInstance());
        FilterMatch match = matchOf(modification);
        UnaryOperator<Filter> patch = filter -> value.hasTypedConfig()
                ? filter.toBuilder().setTypedConfig(TypedConfigs.merge(filter.getTypedConfig(),
                value.getTypedConfig())).build()
                : filter;
        return new FilterModifier(match, listener -> {
            Listener.Builder builder = listener.toBuilder();
            for (int c = 0; c < builder.getFilterChainsCount(); c++) {
                FilterChain chain = builder.getFilterChains(c);
                builder.setFilterChains(c, chain.toBuilder().clearFilters().addAllFilters(NETWORK.apply(
                        chain.getFiltersList(), modification.operation(), match.name(), value, patch)));
            }
            return builder.build();
        });
    }

    static FilterModifier http(Change<FilterMatch> modification) {
        HttpFilter value = StrictEnvoyYaml.parse(modification.value(), HttpFilter.getDefaultInstance());
        FilterMatch match = matchOf(modification);
        UnaryOperator<HttpFilter> patch = filter -> value.hasTypedConfig()
                ? filter.toBuilder().setTypedConfig(TypedConfigs.merge(filter.getTypedConfig(),
                value.getTypedConfig())).build()
                : filter;
        UnaryOperator<HttpConnectionManager> onHcm = hcm -> hcm.toBuilder().clearHttpFilters().addAllHttpFilters(
                HTTP.apply(hcm.getHttpFiltersList(), modification.operation(), match.name(), value, patch)).build();
        return new FilterModifier(match, listener -> HttpConnectionManagers.rewrite(listener, onHcm));
    }

    private static FilterMatch matchOf(Change<FilterMatch> modification) {
        return modification.match() == null ? new FilterMatch("", "", "", null) : modification.match();
    }

    @Override
    public void apply(TemplateResources resources) {
        for (TemplateResources.Entry entry : resources.entries(EnvoyType.LISTENER)) {
            Listener listener = (Listener) entry.resource();
            if (ResourceModifier.selects(match.listenerName(), match.origin(), entry)
                    && TagSelectors.matches(match.listenerTags(), listener)) {
                Listener changed = change.apply(listener);
                if (!changed.equals(listener)) {
                    resources.replace(entry, changed);
                }
            }
        }
    }
}
