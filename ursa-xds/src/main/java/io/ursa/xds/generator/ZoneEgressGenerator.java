package io.ursa.xds.generator;

import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.ursa.api.policy.RateLimitSpec;
import io.ursa.api.policy.TrafficRouteSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.spec.Tags;
import io.ursa.api.zoneegress.ZoneEgressSpec;
import io.ursa.ca.MeshCa;
import io.ursa.xds.context.ExternalEndpoint;
import io.ursa.xds.context.MeshContext;
import io.ursa.xds.context.MeshMtls;
import io.ursa.xds.context.ZoneEgressProxy;
import io.ursa.xds.envoy.Configurer;
import io.ursa.xds.envoy.Protos;
import io.ursa.xds.envoy.clusters.ProvidedEndpointConfigurers.DnsLookup;
import io.ursa.xds.envoy.listeners.FilterChainConfigurers;
import io.ursa.xds.envoy.listeners.HttpConfigurers;
import io.ursa.xds.envoy.listeners.HttpConnectionManagerBuilder;
import io.ursa.xds.envoy.listeners.ListenerBuilder;
import io.ursa.xds.envoy.listeners.ListenerConfigurers;
import io.ursa.xds.envoy.listeners.NetworkFilters;
import io.ursa.xds.envoy.tls.Secrets;
import io.ursa.xds.envoy.tls.TlsContexts;
import io.ursa.xds.generator.RouteTargets.ClusterPlan;
import io.ursa.xds.generator.policies.ConnectionPolicies;
import io.ursa.xds.generator.policies.PolicyMatch;
import io.ursa.xds.names.EnvoyNames;
import io.ursa.xds.resources.ResourceSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The configuration of a zone egress proxy (Kuma 2.0's {@code pkg/xds/generator/egress}), for every mesh it serves
 * ({@link ZoneEgressProxy}):
 * <ul>
 *   <li>one listener {@code inbound:<address>:<port>} on the ZoneEgress's address, with {@code tls_inspector} and,
 *       per mesh, per ExternalService service and per tag set its sidecars may ask for (the service alone, and each
 *       TrafficRoute split destination of it), a filter chain matched by transport protocol {@code tls} and the
 *       SNI {@code <service>{mesh=<mesh>,...}} that sidecars send ({@link EnvoyNames#sni}). It terminates the
 *       mesh's mTLS with the egress's identity in that mesh, accepting clients of that mesh only, and enforces the
 *       TrafficPermission whose destinations select the ExternalService (network RBAC). HTTP services then get an
 *       HTTP connection manager with the FaultInjections and RateLimits whose destinations select it (the sources
 *       are told apart by the {@code x-kuma-tags} header the sidecar adds), TCP services a TCP proxy. No listener
 *       when there is no chain;</li>
 *   <li>per mesh and ExternalService service, the cluster {@code <mesh>:<service>} to the external addresses with
 *       their own TLS ({@link ExternalServiceClusters}); meshes with services of the same name stay apart;</li>
 *   <li>per mesh, the SDS secrets {@code identity_cert:secret:<mesh>} and {@code mesh_ca:secret:<mesh>};</li>
 *   <li>the admin cluster and {@code /ready} listener as for a sidecar ({@link AdminGenerator}).</li>
 * </ul>
 *
 * <p>One difference from Kuma, on purpose: the routes rewrite the Host header to the external host name
 * ({@code autoHostRewrite}), as a sidecar does when it reaches an ExternalService directly, so that the same
 * application request works with and without zone egress. Stateless.
 */
public final class ZoneEgressGenerator {
    /** Kuma's idle timeout of a TCP proxy toward an ExternalService. */
    static final Duration TCP_IDLE_TIMEOUT = Duration.ofHours(1);

    private ZoneEgressGenerator() {
    }

    /** Every resource of {@code proxy}'s configuration. */
    public static ResourceSet generate(ZoneEgressProxy proxy) {
        ZoneEgressSpec.Networking networking = proxy.zoneEgress().spec().networking();
        ResourceSet.Builder resources = ResourceSet.builder();
        resources.addAll(AdminGenerator.generate(proxy.metadata(), networking.address()));
        DnsLookup dnsLookup = DnsLookup.forProxyAddress(networking.address());
        List<Configurer<Listener.Builder>> chains = new ArrayList<>();
        for (ZoneEgressProxy.Served served : proxy.meshes()) {
            MeshContext mesh = served.mesh();
            for (Map.Entry<String, List<ExternalEndpoint>> service : mesh.externalEndpoints().entrySet()) {
                chains.addAll(chains(mesh, service.getKey(), service.getValue()));
                resources.add(cluster(mesh.name(), service.getKey(), service.getValue(), dnsLookup));
            }
            MeshCa ca = mesh.mtls().flatMap(MeshMtls::ca).orElseThrow();
            resources.add(Secrets.identity(EnvoyNames.identityCertSecret(mesh.name()),
                    served.identity().certificatePem(), served.identity().privateKeyPem()));
            resources.add(Secrets.trustedCa(EnvoyNames.meshCaSecret(mesh.name()), ca.trustedRootsPem()));
        }
        if (!chains.isEmpty()) {
            String name = EnvoyNames.inboundListener(networking.address(), networking.port());
            ListenerBuilder listener = ListenerBuilder.named(name)
                    .configure(ListenerConfigurers.inbound(networking.address(), networking.port()))
                    .configure(ListenerConfigurers.tlsInspector());
            chains.forEach(listener::configure);
            resources.add(listener.build());
        }
        return resources.build();
    }

    private static io.envoyproxy.envoy.config.cluster.v3.Cluster cluster(String mesh, String service,
                                                                          List<ExternalEndpoint> endpoints,
                                                                          DnsLookup dnsLookup) {
        ClusterPlan plan = new ClusterPlan(EnvoyNames.zoneEgressCluster(mesh, service), service,
                Map.of(Tags.SERVICE, service), Optional.empty(), null);
        return ExternalServiceClusters.of(plan, endpoints, protocol(endpoints), dnsLookup, Optional.empty(),
                Optional.empty());
    }

    /** One chain per distinct SNI the mesh's sidecars may send for {@code service}. */
    private static List<Configurer<Listener.Builder>> chains(MeshContext mesh, String service,
                                                             List<ExternalEndpoint> endpoints) {
        String cluster = EnvoyNames.zoneEgressCluster(mesh.name(), service);
        List<Filter> filters = new ArrayList<>();
        filters.add(NetworkFilters.rbac(EnvoyNames.rbacStatPrefix(service), TrafficPermissionRbac.rules(mesh.name(),
                ConnectionPolicies.matchInbound(ConnectionPolicies.TRAFFIC_PERMISSION, mesh, endpoints.get(0).tags())
                        .map(PolicyMatch::policy))));
        ServiceProtocol protocol = protocol(endpoints);
        if (protocol.isHttp()) {
            filters.add(httpFilter(mesh, service, endpoints.get(0).tags(), cluster));
        } else {
            filters.add(NetworkFilters.tcpProxy(EnvoyNames.statName(service), cluster, TCP_IDLE_TIMEOUT));
        }
        io.envoyproxy.envoy.config.core.v3.TransportSocket tls = TlsContexts.transportSocket(
                TlsContexts.downstreamSds(EnvoyNames.identityCertSecret(mesh.name()),
                        EnvoyNames.meshCaSecret(mesh.name()), List.of(SpiffeIds.meshPrefix(mesh.name()))));
        List<Configurer<Listener.Builder>> chains = new ArrayList<>();
        for (String sni : serverNames(mesh, service)) {
            chains.add(ListenerConfigurers.filterChain(filters, List.of(
                    FilterChainConfigurers.serverNames(List.of(sni)),
                    FilterChainConfigurers.transportProtocol(FilterChainConfigurers.TLS),
                    FilterChainConfigurers.transportSocket(tls))));
        }
        return chains;
    }

    private static Filter httpFilter(MeshContext mesh, String service, Map<String, String> tags, String cluster) {
        HttpConnectionManagerBuilder hcm = HttpConnectionManagerBuilder.withStatPrefix(EnvoyNames.statName(service));
        hcm.configure(FaultInjectionConfigurers.faults(ConnectionPolicies.matchAllInbound(
                ConnectionPolicies.FAULT_INJECTION, mesh, tags).stream().map(PolicyMatch::policy).toList(),
                FaultInjectionConfigurers.Side.INBOUND));
        List<Resource<RateLimitSpec>> limits = RateLimitConfigurers.httpLimits(ConnectionPolicies.matchAllInbound(
                ConnectionPolicies.RATE_LIMIT, mesh, tags).stream().map(PolicyMatch::policy).toList());
        hcm.configure(RateLimitConfigurers.filter(limits));
        VirtualHost.Builder host = VirtualHost.newBuilder().setName(service).addDomains("*");
        for (Route route : RateLimitConfigurers.routes(limits, cluster)) {
            host.addRoutes(rewritingHost(route));
        }
        host.addRoutes(rewritingHost(Route.newBuilder()
                .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                .setRoute(RouteAction.newBuilder().setCluster(cluster).setTimeout(Protos.duration(Duration.ZERO)))
                .build()));
        hcm.configure(HttpConfigurers.inlineRoutes(RouteConfiguration.newBuilder()
                .setName(EnvoyNames.outboundRouteConfig(service))
                .setValidateClusters(Protos.bool(false))
                .addVirtualHosts(host)
                .build()));
        return NetworkFilters.httpConnectionManager(hcm.build());
    }

    private static Route rewritingHost(Route route) {
        Route.Builder builder = route.toBuilder();
        builder.getRouteBuilder().setAutoHostRewrite(Protos.bool(true));
        return builder.build();
    }

    /**
     * The SNIs of {@code service} that the mesh's sidecars may send: the service alone and every TrafficRoute
     * split destination that names it (or names every service, {@code *}), each with {@code mesh=<mesh>}, in that
     * order, without repeats (Kuma's {@code buildDestinations}).
     */
    static Set<String> serverNames(MeshContext mesh, String service) {
        Set<String> names = new LinkedHashSet<>();
        names.add(EnvoyNames.sni(service, mesh.name(), Map.of()));
        for (Resource<TrafficRouteSpec> route : mesh.policies(ResourceTypes.TRAFFIC_ROUTE)) {
            TrafficRouteSpec.Conf conf = route.spec().conf();
            if (conf == null) {
                continue;
            }
            List<Map<String, String>> destinations = new ArrayList<>();
            conf.split().forEach(split -> destinations.add(split.destination()));
            if (conf.destination() != null && !conf.destination().isEmpty()) {
                destinations.add(conf.destination());
            }
            for (TrafficRouteSpec.Http http : conf.http()) {
                http.split().forEach(split -> destinations.add(split.destination()));
                if (http.destination() != null && !http.destination().isEmpty()) {
                    destinations.add(http.destination());
                }
            }
            for (Map<String, String> destination : destinations) {
                String named = destination.get(Tags.SERVICE);
                if (service.equals(named) || "*".equals(named)) {
                    names.add(EnvoyNames.sni(service, mesh.name(), destination));
                }
            }
        }
        return names;
    }

    private static ServiceProtocol protocol(List<ExternalEndpoint> endpoints) {
        return ServiceProtocol.infer(endpoints.stream().map(ExternalEndpoint::asEndpoint).toList());
    }
}
