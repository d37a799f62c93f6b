package io.ursa.xds.generator.template;

import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.ursa.api.policy.ProxyTemplateSpec.Change;
import io.ursa.api.policy.ProxyTemplateSpec.VirtualHostMatch;
import io.ursa.xds.envoy.ProtoMerge;
import io.ursa.xds.envoy.StrictEnvoyYaml;
import io.ursa.xds.resources.EnvoyType;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code virtualHost} modification (Kuma 2.0's {@code virtual_host.go}): on the inline route configuration of
 * every HTTP connection manager ({@link HttpConnectionManagers}) of the listeners of {@code match.origin} (all
 * when unset), when {@code match.routeConfigurationName} is unset or names it:
 * <ul>
 *   <li>{@code add}: the value is appended as a virtual host;</li>
 *   <li>{@code patch}: merged ({@link ProtoMerge}) into every virtual host named {@code match.name} (all when
 *       unset);</li>
 *   <li>{@code remove}: those virtual hosts are removed.</li>
 * </ul>
 * Connection managers that fetch their routes over RDS are left alone, as in Kuma (Envoy sidecars get inline
 * routes).
 */
final class VirtualHostModifier implements Modifier {
    private final VirtualHostMatch match;
    private final String operation;
    private final VirtualHost value;

    VirtualHostModifier(Change<VirtualHostMatch> change) {
        this.value = StrictEnvoyYaml.parse(change.value(), VirtualHost.getDefaultInstance());
        this.match = change.match() == null ? new VirtualHostMatch("", "", "") : change.match();
        this.operation = change.operation();
    }

    @Override
    public void apply(TemplateResources resources) {
        for (TemplateResources.Entry entry : resources.entries(EnvoyType.LISTENER)) {
            if (!match.origin().isEmpty() && !match.origin().equals(entry.origin())) {
                continue;
            }
            Listener listener = (Listener) entry.resource();
            Listener changed = HttpConnectionManagers.rewrite(listener, this::apply);
            if (!changed.equals(listener)) {
                resources.replace(entry, changed);
            }
        }
    }

    private HttpConnectionManager apply(HttpConnectionManager hcm) {
        if (!hcm.hasRouteConfig() || !(match.routeConfigurationName().isEmpty()
                || match.routeConfigurationName().equals(hcm.getRouteConfig().getName()))) {
            return hcm;
        }
        RouteConfiguration routes = hcm.getRouteConfig();
        List<VirtualHost> hosts = new ArrayList<>(routes.getVirtualHostsList());
        switch (operation) {
            case "add" -> hosts.add(value);
            case "patch" -> hosts.replaceAll(host -> selects(host) ? ProtoMerge.merge(host, value) : host);
            case "remove" -> hosts.removeIf(this::selects);
            default -> throw Modifiers.invalidOperation(operation, "add, patch, remove");
        }
        return hcm.toBuilder().setRouteConfig(routes.toBuilder().clearVirtualHosts().addAllVirtualHosts(hosts))
                .build();
    }

    private boolean selects(VirtualHost host) {
        return match.name().isEmpty() || match.name().equals(host.getName());
    }
}
