package io.ursa.xds.generator;

import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.NonForwardingAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
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
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The server side of a proxyless gRPC application: the listeners an {@code XdsServerBuilder} asks for before it
 * serves ({@code grpc/server?xds.resource.listening_address=<ip>:<port>}, the template of the gRPC bootstrap).
 *
 * <p>A proxyless server has no sidecar: the application itself listens on its inbound's <b>workload port</b>
 * ({@code servicePort}, else {@code port}), the port clients dial ({@code GrpcClientGenerator}). Which address it
 * asks for depends on how it binds, so for every inbound there is one listener for each form an application may
 * use, on that port: {@code 0.0.0.0} (grpc-java's {@code XdsServerBuilder.forPort}, and the address grpc-java
 * always asks for), {@code [::]} (other gRPC languages bound to every IPv6 address), and the inbound's workload
 * address ({@code serviceAddress}, else the inbound's or the Dataplane's {@code address}). gRPC serves only when
 * the listener's socket address is the one it listens on, so each listener carries exactly that address.
 *
 * <p>Each listener has {@code trafficDirection: INBOUND} and one filter chain: an HTTP connection manager with an
 * inline route configuration {@code inbound:<service>} whose single route ({@code prefix: /}, every domain) has a
 * {@code non_forwarding_action} (stack-notes P11), then the router filter. Inbounds on the serviceless port 49151
 * are skipped. Two inbounds with the same workload port share their listeners; the first one names the route
 * configuration.
 *
 * <p>Not yet: mTLS ({@code DownstreamTlsContext}), RBAC from TrafficPermissions, and rate limits.
 */
public final class GrpcServerGenerator implements Generator {
    /** The IPv4 and IPv6 wildcard addresses, as gRPC writes them in a listener name (IPv6 bracketed there). */
    static final String ANY_IPV4 = "0.0.0.0";
    static final String ANY_IPV6 = "::";

    @Override
    public ResourceSet generate(ProxyContext proxy) {
        DataplaneSpec.Networking networking = proxy.spec().networking();
        if (networking == null || networking.inbound().isEmpty()) {
            return ResourceSet.empty();
        }
        List<DataplaneSpec.Inbound> inbounds = networking.inbound();
        List<InboundInterface> interfaces = networking.inboundInterfaces();
        ResourceSet.Builder resources = ResourceSet.builder();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < inbounds.size(); i++) {
            InboundInterface iface = interfaces.get(i);
            if (iface.dataplanePort() == EnvoyNames.SERVICELESS_INBOUND_PORT) {
                continue;
            }
            int port = iface.workloadPort();
            Filter filter = connectionManager(inbounds.get(i).service(), port);
            for (String host : new LinkedHashSet<>(List.of(ANY_IPV4, ANY_IPV6, iface.workloadIp()))) {
                String name = EnvoyNames.grpcServerListener(host, port);
                if (names.add(name)) {
                    resources.add(listener(name, host, port, filter));
                }
            }
        }
        return resources.build();
    }

    private static Listener listener(String name, String host, int port, Filter filter) {
        return ListenerBuilder.named(name)
                .configure(listener -> listener
                        .setAddress(ListenerConfigurers.socketAddress(host, port))
                        .setTrafficDirection(TrafficDirection.INBOUND))
                .configure(ListenerConfigurers.filterChain(List.of(filter)))
                .build();
    }

    private static Filter connectionManager(String service, int port) {
        RouteConfiguration routes = RouteConfiguration.newBuilder()
                .setName(EnvoyNames.inboundRouteConfig(service))
                .addVirtualHosts(VirtualHost.newBuilder()
                        .setName(service)
                        .addDomains("*")
                        .addRoutes(Route.newBuilder()
                                .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                                .setNonForwardingAction(NonForwardingAction.getDefaultInstance())))
                .build();
        return NetworkFilters.httpConnectionManager(
                HttpConnectionManagerBuilder.withStatPrefix(EnvoyNames.statName(EnvoyNames.localCluster(port)))
                        .configure(HttpConfigurers.inlineRoutes(routes))
                        .build());
    }
}
