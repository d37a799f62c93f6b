package io.ursa.xds.generator;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.policy.CircuitBreakerSpec;
import io.ursa.api.policy.FaultInjectionSpec;
import io.ursa.api.policy.RetrySpec;
import io.ursa.api.policy.TimeoutSpec;
import io.ursa.api.policy.TrafficRouteSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.spec.Tags;
import io.ursa.xds.context.CrossMeshListener;
import io.ursa.xds.context.Endpoint;
import io.ursa.xds.context.ExternalEndpoint;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.envoy.clusters.ClusterBuilder;
import io.ursa.xds.envoy.clusters.ClusterConfigurers;
import io.ursa.xds.envoy.endpoints.ClusterLoadAssignments;
import io.ursa.xds.envoy.listeners.ApiListeners;
import io.ursa.xds.envoy.listeners.HttpConfigurers;
import io.ursa.xds.envoy.listeners.HttpConnectionManagerBuilder;
import io.ursa.xds.generator.RouteTargets.ClusterPlan;
import io.ursa.xds.generator.policies.ConnectionPolicies;
import io.ursa.xds.names.EnvoyNames;
import io.ursa.xds.resources.ResourceSet;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The client side of a proxyless gRPC application ({@code io.grpc:grpc-xds}): what a channel to
 * {@code xds:///<service>} asks for, for every destination the proxy may call.
 *
 * <p>The destinations are every {@code kuma.io/service} of the proxy's mesh that has endpoints or ExternalServices,
 * plus the services of the Dataplane's {@code outbound[]} (whose tags then resolve the TrafficRoute's {@code '*'} values, and which
 * get their resources even without endpoints). Only the proxy's own mesh is looked at, so two meshes may each
 * have a {@code backend}. For each destination whose TrafficRoute leaves at least one cluster (the Envoy
 * {@link OutboundGenerator}'s decisions, through {@link RouteTargets} and {@link ConnectionPolicies}):
 * <ul>
 *   <li>an API listener {@code <service>} (the name grpc-xds requests for {@code xds:///<service>}) whose HTTP
 *       connection manager holds its route configuration <em>inline</em> and ends with the router filter. Inline
 *       rather than RDS: the channel needs one request less before its first call, and no route configuration
 *       can be missing from a snapshot (SimpleCache would stay silent, stack-notes P8);</li>
 *   <li>the route configuration {@code outbound:<service>}: one virtual host whose only domain is the service (the
 *       authority of {@code xds:///<service>}) and one route {@code prefix: /} to the cluster, or
 *       {@code weighted_clusters} for a split, with the Timeout and Retry in the forms of
 *       {@link GrpcPolicyConfigurers};</li>
 *   <li>for every cluster of a mesh service an EDS cluster over ADS named like the Envoy one ({@code <service>}, or
 *       {@code <service>-_<n>_} for a split entry with more tags), with the TrafficRoute's load balancer and the
 *       CircuitBreaker's {@code maxRequests}, and its ClusterLoadAssignment of the matching endpoints, each
 *       locality with a weight (P6).</li>
 * </ul>
 *
 * <p><b>Endpoints are the applications</b>, not sidecars: a proxyless server serves on its inbound's workload
 * port ({@code servicePort}, else {@code port}) with no proxy in front, so a client dials
 * {@code <serviceAddress, else the Dataplane's advertised address>:<servicePort, else port>}
 * ({@link io.ursa.xds.context.MeshContext#applicationEndpoints}). gRPC rejects a whole ClusterLoadAssignment that
 * holds a host name, so an endpoint whose address is not an IP literal is left out.
 *
 * <p>Mesh mTLS ({@link ClientSideMtls}): in STRICT mode every cluster has a {@code transport_socket} whose
 * {@code UpstreamTlsContext} takes the certificate and the CA from the bootstrap's certificate provider
 * ({@code GrpcBootstrap.CERTIFICATE_PROVIDER}) and requires the server's SAN to be exactly
 * {@code spiffe://<mesh>/<service>}; the application must use {@code XdsChannelCredentials}, or grpc-xds ignores it
 * (stack-notes P10). In PERMISSIVE mode only clusters of TLS-ready services have it.
 *
 * <p>FaultInjection: the delays and aborts of the policies whose sources select this application and whose
 * destinations select the service's instances, as client-side fault filters ({@link FaultInjectionConfigurers}).
 *
 * <p>A TrafficRoute's {@code conf.http[]} entries become routes before the default one, with their matches and
 * destinations; grpc-xds cannot rewrite paths, hosts or headers, so their {@code modify} is left out
 * ({@link HttpRouteRules}).
 *
 * <p>ExternalServices are destinations too, reached directly ({@link GrpcExternalServices}): plaintext ones with IP
 * addresses as an EDS cluster of their addresses, one with a host name as a LOGICAL_DNS cluster; never mesh mTLS.
 * Those grpc-xds cannot reach as configured (TLS, several host names) get a cluster without endpoints, so calls
 * fail rather than leave in plaintext.
 *
 * <p>Cross-mesh gateways ({@link io.ursa.xds.context.CrossMesh}): for every cross-mesh MeshGateway listener of
 * another mesh M that the proxy's mesh reaches, an API listener {@code <hostname>:<port>} (what grpc-xds asks for on
 * a channel to {@code xds:///<hostname>:<port>}, and its virtual host's domain), routed by the proxy's TrafficRoute
 * for the gateway's service with the listener's tags, to the cluster {@code <service>-_<n>__<M>} named as the Envoy
 * one. Its endpoints are M's gateway Dataplanes on the listener's port; its TLS uses the application's identity
 * ({@code GrpcBootstrap.CERTIFICATE_PROVIDER}) but validates the gateway with a second certificate provider,
 * {@code GrpcBootstrap.CROSS_MESH_CERTIFICATE_PROVIDER}, whose CA file holds only the roots of the meshes the proxy
 * reaches ({@code cross_mesh_ca:secret:<mesh>}, written by {@code ursa-dp grpc-agent}), and requires the SAN
 * {@code spiffe://<M>/<service>}. So M's roots are trusted by those clusters alone, never by the application's own
 * server. A proxy of a mesh with mTLS off reaches nothing: a channel to such a hostname finds no listener. Not yet:
 * locality-aware priorities.
 */
public final class GrpcClientGenerator implements Generator {
    private static final String OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");

    @Override
    public ResourceSet generate(ProxyContext proxy) {
        ResourceSet.Builder resources = ResourceSet.builder();
        RouteTargets clusters = new RouteTargets(proxy.mesh().crossMesh().reachableMeshes());
        destinations(proxy).forEach((service, tags) -> apiListener(proxy, EnvoyNames.grpcClientListener(service),
                service, service, tags, clusters).ifPresent(resources::add));
        for (CrossMeshListener listener : proxy.mesh().crossMesh().reachable()) {
            String name = EnvoyNames.grpcCrossMeshListener(listener.hostname(), listener.port());
            if (!listener.service().isEmpty()) {
                apiListener(proxy, name, name, listener.service(), listener.tags(), clusters)
                        .ifPresent(resources::add);
            }
        }
        for (ClusterPlan plan : clusters.plans()) {
            if (plan.upstreamMesh().isPresent()) {
                resources.addAll(crossMesh(proxy, plan));
                continue;
            }
            List<ExternalEndpoint> external = proxy.mesh().externalEndpoints(plan.service());
            if (!external.isEmpty()) {
                resources.addAll(GrpcExternalServices.resources(plan, external));
                continue;
            }
            resources.add(cluster(proxy, plan));
            List<Endpoint> endpoints = proxy.mesh().applicationEndpoints(plan.service()).stream()
                    .filter(e -> isIpLiteral(e.address()))
                    .toList();
            resources.add(ClusterLoadAssignments.of(plan.name(), RouteTargets.matching(endpoints, plan)));
        }
        return resources.build();
    }

    /** Every destination service with the tags its TrafficRoute wildcards resolve against, sorted by service. */
    private static Map<String, Map<String, String>> destinations(ProxyContext proxy) {
        Map<String, Map<String, String>> destinations = new TreeMap<>();
        DataplaneSpec.Networking networking = proxy.spec().networking();
        if (networking != null) {
            for (DataplaneSpec.Outbound outbound : networking.outbound()) {
                Map<String, String> tags = RouteTargets.tagsIncludingLegacy(outbound);
                String service = tags.get(Tags.SERVICE);
                if (service != null && !service.isEmpty()) {
                    destinations.putIfAbsent(service, tags);
                }
            }
        }
        for (String service : proxy.mesh().applicationEndpoints().keySet()) {
            destinations.putIfAbsent(service, Map.of(Tags.SERVICE, service));
        }
        for (String service : proxy.mesh().externalEndpoints().keySet()) {
            destinations.putIfAbsent(service, Map.of(Tags.SERVICE, service));
        }
        return destinations;
    }

    /**
     * The cluster toward the cross-mesh gateways of another mesh and its endpoints: that mesh's gateway Dataplanes
     * on the listener's port (IP literals only), TLS with the proxy's identity, trusting the cross-mesh provider's
     * roots and requiring the gateway's SAN.
     */
    private static ResourceSet crossMesh(ProxyContext proxy, ClusterPlan plan) {
        String mesh = plan.upstreamMesh().orElseThrow();
        Cluster cluster = ClusterBuilder.named(plan.name())
                .configure(ClusterConfigurers.eds())
                .configure(GrpcPolicyConfigurers.loadBalancer(plan.loadBalancer()))
                .configure(ClusterConfigurers.transportSocket(ClientSideMtls.grpcCrossMesh(mesh, plan.service())))
                .build();
        List<Endpoint> endpoints = proxy.mesh().crossMesh().endpoints(mesh, plan.service()).stream()
                .filter(e -> isIpLiteral(e.address()))
                .toList();
        return ResourceSet.of(cluster, ClusterLoadAssignments.of(plan.name(), RouteTargets.matching(endpoints, plan)));
    }

    /**
     * The API listener {@code name} whose one virtual host answers {@code domain} and routes to {@code service}
     * (the TrafficRoute's destinations, with {@code tags} resolving its {@code '*'} values); empty when no route
     * leaves a destination.
     */
    private static Optional<Listener> apiListener(ProxyContext proxy, String name, String domain, String service,
                                                  Map<String, String> tags, RouteTargets clusters) {
        Optional<Resource<TrafficRouteSpec>> route = ConnectionPolicies.trafficRoute(proxy, service);
        if (route.isEmpty()) {
            return Optional.empty();
        }
        Optional<TimeoutSpec.Conf> timeout = ConnectionPolicies.timeout(proxy, service).map(t -> t.spec().conf());
        Optional<RetrySpec.Conf> retry = ConnectionPolicies.retry(proxy, service).map(r -> r.spec().conf());
        TrafficRouteSpec.Conf conf = route.get().spec().conf();
        List<HttpRouteRules.Rule> rules = HttpRouteRules.of(conf, tags, timeout, clusters);
        if (rules.isEmpty()) {
            return Optional.empty();
        }
        HttpConnectionManagerBuilder hcm = HttpConnectionManagerBuilder.withStatPrefix(EnvoyNames.statName(service))
                .configure(FaultInjectionConfigurers.faults(faults(proxy, service),
                        FaultInjectionConfigurers.Side.GRPC_CLIENT))
                .configure(HttpConfigurers.inlineRoutes(routes(domain, rules, timeout, retry)));
        return Optional.of(ApiListeners.of(name, hcm.build()));
    }

    /** The FaultInjections of the calls from {@code proxy} to {@code service}'s instances (by their tags). */
    private static List<Resource<FaultInjectionSpec>> faults(ProxyContext proxy, String service) {
        if (proxy.mesh().policies(ConnectionPolicies.FAULT_INJECTION.type()).isEmpty()) {
            return List.of();
        }
        List<Map<String, String>> instances = proxy.mesh().applicationEndpoints(service).stream()
                .map(Endpoint::tags).distinct().toList();
        return ConnectionPolicies.matchAllOutbound(ConnectionPolicies.FAULT_INJECTION, proxy,
                instances.isEmpty() ? List.of(Map.of(Tags.SERVICE, service)) : instances);
    }

    private static RouteConfiguration routes(String domain, List<HttpRouteRules.Rule> rules,
                                             Optional<TimeoutSpec.Conf> timeout, Optional<RetrySpec.Conf> retry) {
        VirtualHost.Builder host = VirtualHost.newBuilder().setName(domain).addDomains(domain);
        for (HttpRouteRules.Rule rule : rules) {
            RouteAction.Builder action = RouteAction.newBuilder();
            GrpcPolicyConfigurers.deadline(timeout).configure(action);
            GrpcPolicyConfigurers.retry(retry).configure(action);
            host.addRoutes(HttpRouteRules.route(rule, action, RouteTargets.TotalWeight.OMITTED,
                    HttpRouteRules.Client.GRPC));
        }
        return RouteConfiguration.newBuilder()
                .setName(EnvoyNames.outboundRouteConfig(domain))
                .addVirtualHosts(host)
                .build();
    }

    private static Cluster cluster(ProxyContext proxy, ClusterPlan plan) {
        Optional<CircuitBreakerSpec.Conf> breaker = ConnectionPolicies.circuitBreaker(proxy, plan.service())
                .map(c -> c.spec().conf());
        ClusterBuilder cluster = ClusterBuilder.named(plan.name())
                .configure(ClusterConfigurers.eds())
                .configure(GrpcPolicyConfigurers.loadBalancer(plan.loadBalancer()))
                .configure(GrpcPolicyConfigurers.maxRequests(breaker))
                .configure(CircuitBreakerConfigurers.outlierDetection(breaker));
        ClientSideMtls.grpc(proxy, plan.service()).ifPresent(socket ->
                cluster.configure(ClusterConfigurers.transportSocket(socket)));
        return cluster.build();
    }

    /**
     * Whether {@code address} is an IPv4 or IPv6 literal (never a host name, which gRPC refuses here). No name is
     * ever resolved: the JDK parses a string with a colon as an IPv6 literal only.
     */
    static boolean isIpLiteral(String address) {
        if (address.indexOf(':') < 0) {
            return IPV4.matcher(address).matches();
        }
        try {
            InetAddress.getByName(address);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
