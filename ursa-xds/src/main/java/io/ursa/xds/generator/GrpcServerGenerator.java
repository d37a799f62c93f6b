package io.ursa.xds.generator;

import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.NonForwardingAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.dataplane.GrpcBootstrap;
import io.ursa.api.dataplane.InboundInterface;
import io.ursa.xds.context.MeshMtls;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.envoy.listeners.FilterChainConfigurers;
import io.ursa.xds.envoy.listeners.HttpConfigurers;
import io.ursa.xds.envoy.listeners.HttpConnectionManagerBuilder;
import io.ursa.xds.envoy.listeners.ListenerBuilder;
import io.ursa.xds.envoy.listeners.ListenerConfigurers;
import io.ursa.xds.envoy.listeners.NetworkFilters;
import io.ursa.xds.envoy.tls.TlsContexts;
import io.ursa.xds.names.EnvoyNames;
import io.ursa.xds.resources.ResourceSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
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
 * <p>Mesh mTLS: in STRICT mode the filter chain's {@code transport_socket} is a {@code DownstreamTlsContext} that
 * requires a client certificate and takes the certificate and the CA from the bootstrap's certificate provider
 * ({@code GrpcBootstrap.CERTIFICATE_PROVIDER}); the application must use {@code XdsServerCredentials}, or grpc-xds
 * ignores it (stack-notes P10). It has no SAN matcher, which grpc-xds rejects in a downstream context: the CA alone
 * decides who completes the handshake, i.e. the proxies of the meshes that share it (the trusted meshes), as the
 * sidecar's SAN prefixes do. In PERMISSIVE mode there is no transport socket: a grpc-xds server cannot sniff TLS,
 * so it serves plaintext. With mTLS on (both modes) the HTTP connection manager has the HTTP RBAC filter
 * {@code envoy.filters.http.rbac} before the router, with the rules of the inbound's TrafficPermission
 * ({@link TrafficPermissionRbac}); in PERMISSIVE mode, plaintext callers having no principal, only an
 * {@code {any: true}} source lets them through.
 *
 * <p>Not yet: rate limits.
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
        Optional<TransportSocket> tls = transportSocket(proxy);
        for (int i = 0; i < inbounds.size(); i++) {
            InboundInterface iface = interfaces.get(i);
            if (iface.dataplanePort() == EnvoyNames.SERVICELESS_INBOUND_PORT) {
                continue;
            }
            int port = iface.workloadPort();
            Filter filter = connectionManager(proxy, inbounds.get(i), port);
            for (String host : new LinkedHashSet<>(List.of(ANY_IPV4, ANY_IPV6, iface.workloadIp()))) {
                String name = EnvoyNames.grpcServerListener(host, port);
                if (names.add(name)) {
                    resources.add(listener(name, host, port, filter, tls));
                }
            }
        }
        return resources.build();
    }

    private static Listener listener(String name, String host, int port, Filter filter,
                                     Optional<TransportSocket> tls) {
        return ListenerBuilder.named(name)
                .configure(listener -> listener
                        .setAddress(ListenerConfigurers.socketAddress(host, port))
                        .setTrafficDirection(TrafficDirection.INBOUND))
                .configure(ListenerConfigurers.filterChain(List.of(filter),
                        tls.map(FilterChainConfigurers::transportSocket).stream().toList()))
                .build();
    }

    /**
     * In STRICT mode, the server's TLS: client certificate required, certificate and CA from the bootstrap's
     * certificate provider. Empty with mTLS off, and in PERMISSIVE mode: a grpc-xds server cannot tell TLS from
     * plaintext on one port, so it serves plaintext.
     */
    private static Optional<TransportSocket> transportSocket(ProxyContext proxy) {
        if (proxy.mtls().map(MeshMtls::permissive).orElse(true)) {
            return Optional.empty();
        }
        return Optional.of(TlsContexts.transportSocket(TlsContexts.downstreamCertificateProvider(
                GrpcBootstrap.CERTIFICATE_PROVIDER, GrpcBootstrap.CERTIFICATE_NAME)));
    }

    private static Filter connectionManager(ProxyContext proxy, DataplaneSpec.Inbound inbound, int port) {
        String service = inbound.service();
        RouteConfiguration routes = RouteConfiguration.newBuilder()
                .setName(EnvoyNames.inboundRouteConfig(service))
                .addVirtualHosts(VirtualHost.newBuilder()
                        .setName(service)
                        .addDomains("*")
                        .addRoutes(Route.newBuilder()
                                .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                                .setNonForwardingAction(NonForwardingAction.getDefaultInstance())))
                .build();
        HttpConnectionManagerBuilder hcm = HttpConnectionManagerBuilder
                .withStatPrefix(EnvoyNames.statName(EnvoyNames.localCluster(port)))
                .configure(HttpConfigurers.inlineRoutes(routes));
        if (proxy.mtls().isPresent()) {
            hcm.configure(HttpConfigurers.rbac(TrafficPermissionRbac.forInbound(proxy, inbound.tags())));
        }
        return NetworkFilters.httpConnectionManager(hcm.build());
    }
}
