package io.ursa.xds.generator;

import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.RedirectAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatchAndSubstitute;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.dataplane.InboundInterface;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.envoy.listeners.HttpConfigurers;
import io.ursa.xds.envoy.listeners.HttpConnectionManagerBuilder;
import io.ursa.xds.envoy.listeners.ListenerBuilder;
import io.ursa.xds.envoy.listeners.ListenerConfigurers;
import io.ursa.xds.envoy.listeners.NetworkFilters;
import io.ursa.xds.names.EnvoyNames;
import io.ursa.xds.resources.ResourceSet;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Virtual probes ({@code kuma-2.0-envoy-config.md} §5.2, Kuma's {@code probe_generator.go}): the proxy answers the
 * HTTP probes of a Dataplane's {@code probes} on the application's behalf, so that an orchestrator probing through
 * the mesh (mTLS on the inbound port) still reaches the application.
 *
 * <p>Listener {@code probe:listener} on {@code <networking.address>:<probes.port>} (INBOUND, no reuse-port;
 * {@code bind_to_port: false} under transparent proxying), one HTTP connection manager (stat prefix
 * {@code probe_listener}) with an inline route configuration, virtual host {@code probe} for every domain. Per
 * endpoint, in order, a route for {@code GET} of exactly {@code path}:
 * <ul>
 *   <li>to the local cluster {@code localhost:<inboundPort>} with the whole path rewritten to {@code inboundPath},
 *       when {@code inboundPort} is the workload port of one of the Dataplane's inbounds;</li>
 *   <li>otherwise a redirect to {@code inboundPath} on port {@code inboundPort} (there is no local cluster to
 *       forward to; probe clients such as the kubelet follow redirects).</li>
 * </ul>
 * Queries in {@code path} and {@code inboundPath} are dropped, as Kuma does. Empty without {@code probes} or with no
 * endpoints. Stateless.
 */
public final class ProbeGenerator implements Generator {
    /** The virtual host of the probe routes. */
    static final String VIRTUAL_HOST = "probe";

    @Override
    public String origin() {
        return Origins.PROBE;
    }

    @Override
    public ResourceSet generate(ProxyContext proxy) {
        DataplaneSpec.Probes probes = proxy.spec().probes();
        DataplaneSpec.Networking networking = proxy.spec().networking();
        if (probes == null || probes.endpoints().isEmpty() || networking == null) {
            return ResourceSet.empty();
        }
        Set<Integer> workloadPorts = new HashSet<>();
        for (InboundInterface inbound : networking.inboundInterfaces()) {
            workloadPorts.add(inbound.workloadPort());
        }
        VirtualHost.Builder host = VirtualHost.newBuilder().setName(VIRTUAL_HOST).addDomains("*");
        for (DataplaneSpec.Endpoint endpoint : probes.endpoints()) {
            host.addRoutes(route(endpoint, workloadPorts.contains(endpoint.inboundPort())));
        }
        RouteConfiguration routes = RouteConfiguration.newBuilder().addVirtualHosts(host).build();
        ListenerBuilder listener = ListenerBuilder.named(EnvoyNames.PROBE_LISTENER)
                .configure(ListenerConfigurers.inbound(networking.address(), probes.port()))
                .configure(ListenerConfigurers.filterChain(List.of(NetworkFilters.httpConnectionManager(
                        HttpConnectionManagerBuilder.withStatPrefix(EnvoyNames.statName(EnvoyNames.PROBE_LISTENER))
                                .configure(HttpConfigurers.inlineRoutes(routes))
                                .build()))));
        if (networking.redirectsInboundAndOutbound()) {
            listener.configure(ListenerConfigurers.notBound());
        }
        return ResourceSet.builder().add(listener.build()).build();
    }

    private static Route route(DataplaneSpec.Endpoint endpoint, boolean toLocalCluster) {
        RouteMatch match = RouteMatch.newBuilder()
                .setPath(pathOf("path", endpoint.path()))
                .addHeaders(HeaderMatcher.newBuilder().setName(":method")
                        .setStringMatch(StringMatcher.newBuilder().setExact("GET")))
                .build();
        String inboundPath = pathOf("inboundPath", endpoint.inboundPath());
        Route.Builder route = Route.newBuilder().setMatch(match);
        if (toLocalCluster) {
            route.setRoute(RouteAction.newBuilder()
                    .setCluster(EnvoyNames.localCluster(endpoint.inboundPort()))
                    .setRegexRewrite(RegexMatchAndSubstitute.newBuilder()
                            .setPattern(RegexMatcher.newBuilder().setGoogleRe2(RegexMatcher.GoogleRE2.getDefaultInstance())
                                    .setRegex(".*"))
                            .setSubstitution(inboundPath)));
        } else {
            route.setRedirect(RedirectAction.newBuilder().setPathRedirect(inboundPath)
                    .setPortRedirect(endpoint.inboundPort()));
        }
        return route.build();
    }

    /** The path of a probe URL, without its query; a URL that does not parse fails the generation. */
    private static String pathOf(String field, String url) {
        try {
            String path = new URI(url).getRawPath();
            return path == null ? "" : path;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("invalid probes.endpoints[]." + field + ": \"" + url + "\" ("
                    + e.getReason() + ")");
        }
    }
}
