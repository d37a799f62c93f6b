package io.ursa.xds.generator;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.dataplane.OutboundInterface;
import io.ursa.api.policy.CircuitBreakerSpec;
import io.ursa.api.policy.HealthCheckSpec;
import io.ursa.api.policy.RateLimitSpec;
import io.ursa.api.policy.RetrySpec;
import io.ursa.api.policy.TimeoutSpec;
import io.ursa.api.policy.TrafficRouteSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.spec.Tags;
import io.ursa.xds.context.Endpoint;
import io.ursa.xds.context.MeshContext;
import io.ursa.xds.context.CarriedKey;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.envoy.Configurer;
import io.ursa.xds.envoy.Protos;
import io.ursa.xds.envoy.clusters.ClusterBuilder;
import io.ursa.xds.envoy.clusters.ClusterConfigurers;
import io.ursa.xds.envoy.clusters.ProvidedEndpointConfigurers.DnsLookup;
import io.ursa.xds.envoy.endpoints.ClusterLoadAssignments;
import io.ursa.xds.envoy.listeners.HttpConfigurers;
import io.ursa.xds.envoy.listeners.HttpConnectionManagerBuilder;
import io.ursa.xds.envoy.listeners.ListenerBuilder;
import io.ursa.xds.envoy.listeners.ListenerConfigurers;
import io.ursa.xds.envoy.listeners.NetworkFilters;
import io.ursa.xds.envoy.listeners.TcpProxyConfigurers;
import io.ursa.xds.generator.RouteTargets.ClusterPlan;
import io.ursa.xds.generator.RouteTargets.Target;
import io.ursa.xds.generator.SharedOutboundListener.KumaTagsHeader;
import io.ursa.xds.generator.policies.ConnectionPolicies;
import io.ursa.xds.generator.policies.PolicyMatch;
import io.ursa.xds.names.EnvoyNames;
import io.ursa.xds.resources.ResourceSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The outbound side of a proxy ({@code kuma-2.0-envoy-config.md} §3, Kuma's
 * {@code outbound_proxy_generator.go}): for every outbound ({@link ProxyOutbounds}), a listener
 * {@code outbound:<ip>:<port>} that sends traffic to the destinations of the TrafficRoute selected for it, and
 * for every destination an EDS cluster with its ClusterLoadAssignment (present even without endpoints, because
 * ADS needs every name a cluster references), or, for the service of an ExternalService, a cluster straight to
 * its address with the endpoints inline and its own TLS, never mesh mTLS ({@link ExternalServiceClusters}, §3.8);
 * HTTP routes to such a cluster set {@code autoHostRewrite}, as Kuma does: toward a host name Envoy sends it as the
 * Host header (Envoy leaves the header alone toward IP addresses).
 *
 * <p>Policies are selected per (proxy, destination service) by {@link ConnectionPolicies}: TrafficRoute
 * ({@code destination}/{@code split}, {@code loadBalancer}) and Timeout per outbound, Retry per outbound,
 * CircuitBreaker and HealthCheck per cluster. Each is applied by its own configurer ({@link TimeoutConfigurers},
 * {@link RetryConfigurers}, {@link CircuitBreakerConfigurers}, {@link HealthCheckConfigurers},
 * {@link LoadBalancerConfigurers}).
 *
 * <p>Empty when the Dataplane has no outbound. An outbound that no TrafficRoute selects is still bound, with one
 * empty filter chain that closes connections, as Kuma 2.0 does.
 *
 * <p>Mesh mTLS (§3.6) is applied by {@link ClientSideMtls}: with the mesh in STRICT mode every cluster gets an
 * {@code UpstreamTlsContext} over SDS (SNI {@code <service>{mesh=<mesh>,...}}, ALPN {@code kuma}, server SAN
 * {@code spiffe://<mesh>/<service>}); in PERMISSIVE mode only the clusters of TLS-ready services do, as Kuma 2.0.
 *
 * <p>A TrafficRoute's {@code conf.http[]} entries become routes before the default one ({@link HttpRouteRules}); a
 * TCP outbound uses the default destinations only. Not yet: cross-mesh destinations ({@code kuma.io/mesh}
 * in a destination, skipped), ExternalService traffic through zone egress (it goes direct; see
 * {@link ExternalServiceClusters}), Kuma's split of a route into one for mesh and one for external destinations,
 * the outbound RateLimit filter on outbounds without an external route (Kuma adds it, with no bucket: it does
 * nothing), the Kafka broker filter (kafka is proxied as TCP),
 * zone egress and multizone locality priorities. The RateLimit selected for (proxy, outbound service) limits the
 * HTTP routes toward ExternalServices ({@link RateLimitConfigurers#outboundBucket}), as Kuma 2.0 does without
 * zone egress.
 *
 * <p>Cross-mesh gateways: the VIP outbound of a cross-mesh MeshGateway listener of another mesh M (its tags hold
 * {@code kuma.io/mesh: M}, which the listener's {@code io.kuma.tags} metadata leaves out) is routed like any other;
 * its destination, through the route's {@code '*'}, keeps {@code kuma.io/mesh}, so its cluster is
 * {@code <service>-_<n>__<M>} ({@link RouteTargets}), its endpoints are M's gateway Dataplanes on the listener's
 * port ({@link io.ursa.xds.context.CrossMesh#endpoints}), and its TLS trusts M's CA ({@link ClientSideMtls}). As in
 * Kuma 2.0, the outbound's protocol is inferred from the proxy's own mesh, where the gateway's service has no
 * endpoints, so it is proxied as TCP.
 *
 * <p>Transparent proxying ({@code redirectPortOutbound} set): the outbounds are those of {@link ProxyOutbounds}
 * (one per reachable service and VirtualOutbound host on its VIP, plus the Dataplane's own non-VIP ones), and
 * every outbound listener has {@code bindToPort: false}: iptables sends the application's connections to the
 * outbound catch-all ({@link TransparentProxyGenerator}), which hands each to the listener of its original
 * destination (§3.3, §4).
 *
 * <p>Proxies with the same outbounds and tags (replicas of one workload) share one result per mesh context
 * ({@link io.ursa.xds.context.SharedResources}): the same resource instances, generated once.
 *
 * <p>Observability: every HTTP connection manager gets the proxy's {@code tracing} ({@link TracingConfigurers}),
 * and the HTTP connection manager or tcp_proxy of an outbound gets the access log of the TrafficLog selected for
 * (proxy, outbound service) ({@link AccessLogs}).
 */
public final class OutboundGenerator implements Generator {
    /** The destination tag of a cross-mesh destination; never a listener or cluster tag. */
    static final String MESH_TAG = RouteTargets.MESH_TAG;

    /** The match of a route for every path ({@code prefix: /}); messages are immutable, so one serves all. */
    private static final RouteMatch EVERY_PATH = RouteMatch.newBuilder().setPrefix("/").build();

    /**
     * Whether the proxy's outbound listeners open sockets or receive connections handed over by original
     * destination.
     */
    enum Binding {
        BOUND,
        /** Transparent proxying: {@code bindToPort: false}, fed by the outbound catch-all (envoy-config §3.3). */
        NOT_BOUND
    }

    @Override
    public String origin() {
        return Origins.OUTBOUND;
    }

    @Override
    public ResourceSet generate(ProxyContext proxy) {
        DataplaneSpec.Networking networking = proxy.spec().networking();
        if (networking == null) {
            return ResourceSet.empty();
        }
        List<DataplaneSpec.Outbound> outbounds = ProxyOutbounds.of(proxy);
        if (outbounds.isEmpty()) {
            return ResourceSet.empty();
        }
        Binding binding = networking.redirectsOutbound() ? Binding.NOT_BOUND : Binding.BOUND;
        Inputs inputs = Inputs.of(proxy, outbounds, binding);
        return proxy.mesh().shared().computeIfAbsent(inputs, () -> generateFor(proxy, inputs));
    }

    /**
     * Everything the outbound resources of a proxy are computed from besides its mesh context: its outbounds
     * ({@link ProxyOutbounds}) and whether their listeners bind, and its tag sets (which select the policies of its
     * connections, name its identifying service and fill {@code x-kuma-tags}). Its name and address only matter to
     * access logs, so they are part of the key only when the mesh has a TrafficLog. Replicas of one workload have
     * equal inputs and share one result.
     */
    private record Inputs(List<DataplaneSpec.Outbound> outbounds, Binding binding,
                          List<Map<String, String>> tagSets, String nameAndAddress, DnsLookup dnsLookup) {
        static Inputs of(ProxyContext proxy, List<DataplaneSpec.Outbound> outbounds, Binding binding) {
            DataplaneSpec.Networking networking = proxy.spec().networking();
            boolean logged = !proxy.mesh().policies(ResourceTypes.TRAFFIC_LOG).isEmpty();
            return new Inputs(outbounds, binding, proxy.spec().tagSets(),
                    logged ? proxy.dataplane().name() + " " + networking.ip() : "",
                    DnsLookup.forProxyAddress(networking.address()));
        }
    }

    /**
     * What an outbound cluster is computed from besides the mesh context (the DNS lookup family only matters to
     * the clusters of ExternalServices with host names).
     */
    private record ClusterInputs(ClusterPlan plan, Optional<Resource<CircuitBreakerSpec>> breaker,
                                 Optional<Resource<HealthCheckSpec>> healthCheck, DnsLookup dnsLookup)
            implements CarriedKey {
        /** The cluster reads its service's protocol (from its endpoints); its policies are part of the key. */
        @Override
        public boolean affectedBy(Set<String> changedServices, boolean policiesChanged) {
            return changedServices.contains(plan.service());
        }
    }

    /** What a ClusterLoadAssignment is computed from besides the mesh context. */
    private record EndpointsInputs(String name, String service, Map<String, String> tags,
                                   Optional<String> upstreamMesh) implements CarriedKey {
        @Override
        public boolean affectedBy(Set<String> changedServices, boolean policiesChanged) {
            return changedServices.contains(service);
        }
    }

    /**
     * The endpoints a cluster picks from: its service's in the proxy's mesh, or, toward another mesh, those of the
     * cross-mesh gateway listeners of that mesh that lead to the service.
     */
    private static List<Endpoint> endpoints(ProxyContext proxy, ClusterPlan plan) {
        return plan.upstreamMesh()
                .map(mesh -> proxy.mesh().crossMesh().endpoints(mesh, plan.service()))
                .orElseGet(() -> proxy.mesh().endpoints(plan.service()));
    }

    private static ResourceSet generateFor(ProxyContext proxy, Inputs inputs) {
        Optional<ProxyTracing> tracing = ProxyTracing.of(proxy);
        DnsLookup dnsLookup = inputs.dnsLookup();
        ResourceSet.Builder resources = ResourceSet.builder();
        RouteTargets clusters = new RouteTargets(proxy.mesh().crossMesh().reachableMeshes());
        // the same on every outbound route of this proxy
        KumaTagsHeader kumaTags = KumaTagsHeader.of(serializedTags(proxy.spec()));
        OutboundPolicies.Sources sources = OutboundPolicies.Sources.of(proxy);
        ServiceProtocols protocols = ServiceProtocols.of(proxy.mesh());
        for (DataplaneSpec.Outbound outbound : inputs.outbounds()) {
            OutboundInterface iface = new OutboundInterface(outbound.address().isEmpty()
                    ? OutboundInterface.DEFAULT_ADDRESS : outbound.address(), outbound.port());
            outboundListener(proxy, outbound, iface, inputs.binding(), clusters, tracing, kumaTags, protocols,
                    sources).ifPresent(resources::add);
        }
        for (ClusterPlan plan : clusters.plans()) {
            // A cluster depends on the proxy only through the CircuitBreaker and HealthCheck its tags select; a CLA
            // not at all.
            OutboundPolicies policies = OutboundPolicies.of(proxy, sources, plan.service());
            Optional<Resource<CircuitBreakerSpec>> breaker = policies.circuitBreaker();
            Optional<Resource<HealthCheckSpec>> healthCheck = policies.healthCheck();
            resources.add(proxy.mesh().shared().computeIfAbsent(
                    new ClusterInputs(plan, breaker, healthCheck, dnsLookup),
                    () -> cluster(proxy, plan, breaker, healthCheck, dnsLookup, protocols.of(plan.service()))));
            if (isExternal(proxy.mesh(), plan.service()) && !ZoneEgressRouting.applies(proxy)) {
                continue; // the endpoints are inline in the cluster
            }
            resources.add(proxy.mesh().shared().computeIfAbsent(new EndpointsInputs(plan.name(), plan.service(),
                    plan.tags(), plan.upstreamMesh()), () -> ClusterLoadAssignments.of(plan.name(),
                    RouteTargets.matching(endpoints(proxy, plan), plan))));
        }
        return resources.build();
    }

    private static Optional<Listener> outboundListener(ProxyContext proxy, DataplaneSpec.Outbound outbound,
                                                       OutboundInterface iface, Binding binding,
                                                       RouteTargets clusters, Optional<ProxyTracing> tracing,
                                                       KumaTagsHeader kumaTags, ServiceProtocols protocols,
                                                       OutboundPolicies.Sources sources) {
        Map<String, String> tags = RouteTargets.tagsIncludingLegacy(outbound);
        String service = tags.get(Tags.SERVICE);
        if (service == null || service.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> metadataTags = new TreeMap<>(tags);
        metadataTags.remove(MESH_TAG);
        OutboundPolicies policies = OutboundPolicies.of(proxy, sources, service);
        Optional<Resource<TrafficRouteSpec>> route = policies.route();
        if (route.isEmpty()) {
            // Kuma 2.0 still binds the outbound, with an empty chain: the application's connections are closed
            // rather than refused, and the port stays taken for when a route appears
            return Optional.of(proxy.mesh().shared().computeIfAbsent(new UnroutedInputs(iface, binding, metadataTags),
                    () -> listener(iface, binding, metadataTags)
                            .configure(ListenerConfigurers.emptyFilterChain())
                            .build()));
        }
        Optional<TimeoutSpec.Conf> timeout = policies.timeout().map(t -> t.spec().conf());
        Optional<RetrySpec.Conf> retry = policies.retry().map(r -> r.spec().conf());
        TrafficRouteSpec.Conf conf = route.get().spec().conf();
        List<HttpRouteRules.Rule> rules = conf.http().isEmpty()
                ? single(clusters.targets(conf, tags, timeout))
                : HttpRouteRules.of(conf, tags, timeout, clusters);
        if (rules.isEmpty()) {
            return Optional.empty(); // no rule holds an empty target list, so no rule means no target at all
        }
        ServiceProtocol protocol = protocolOf(rules, protocols);
        ListenerInputs inputs = protocol.isHttp()
                ? new ListenerInputs(iface, binding, metadataTags, service, protocol, rules, timeout, retry, tracing,
                        AccessLogs.of(proxy, service, TrafficDirection.OUTBOUND, AccessLogFormat.Kind.HTTP),
                        externalRateLimit(proxy, service, rules))
                : new ListenerInputs(iface, binding, metadataTags, service, protocol,
                        List.of(rules.get(rules.size() - 1)), timeout, retry, Optional.empty(),
                        AccessLogs.of(proxy, service, TrafficDirection.OUTBOUND, AccessLogFormat.Kind.TCP),
                        Optional.empty());
        SharedOutboundListener shared = proxy.mesh().shared().computeIfAbsent(inputs,
                () -> sharedListener(proxy.mesh(), inputs));
        return Optional.of(shared.forCaller(kumaTags, proxy.mesh().shared()));
    }

    /**
     * Everything the outbound listener of a routed outbound is built from besides the mesh context and the caller's
     * {@code x-kuma-tags} header ({@link SharedOutboundListener}): the outbound, the route rules with the clusters
     * they name (per caller: split clusters are numbered over all of a proxy's outbounds), and the policies and
     * observability its caller's tags select for it (Timeout, Retry, tracing with the caller's service, access log
     * with its name and address, the RateLimit of its external routes). Callers with equal inputs share one listener;
     * a TCP listener has no tracing and no RateLimit and only its last rule's targets.
     */
    private record ListenerInputs(OutboundInterface iface, Binding binding, Map<String, String> metadataTags,
                                  String service, ServiceProtocol protocol, List<HttpRouteRules.Rule> rules,
                                  Optional<TimeoutSpec.Conf> timeout, Optional<RetrySpec.Conf> retry,
                                  Optional<ProxyTracing> tracing, Optional<AccessLog> accessLog,
                                  Optional<Resource<RateLimitSpec>> externalLimit) implements CarriedKey {
        /** Its Timeout and Retry are part of the key; its routes name the clusters of its targets' services. */
        @Override
        public boolean affectedBy(Set<String> changedServices, boolean policiesChanged) {
            if (changedServices.contains(service)) {
                return true;
            }
            for (HttpRouteRules.Rule rule : rules) {
                for (RouteTargets.Target target : rule.targets()) {
                    if (changedServices.contains(target.service())) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /** What the listener of an outbound no TrafficRoute selects is built from: it holds nothing of its caller. */
    private record UnroutedInputs(OutboundInterface iface, Binding binding, Map<String, String> metadataTags)
            implements CarriedKey {
        @Override
        public boolean affectedBy(Set<String> changedServices, boolean policiesChanged) {
            return false;
        }
    }

    /** The listener of {@code inputs}, built from them and the mesh context alone. */
    private static SharedOutboundListener sharedListener(MeshContext mesh, ListenerInputs inputs) {
        if (!inputs.protocol().isHttp()) {
            Filter filter = tcpFilter(inputs.service(), inputs.rules().get(0).targets(), inputs.timeout(),
                    inputs.retry(), inputs.accessLog());
            return SharedOutboundListener.complete(listener(inputs.iface(), inputs.binding(), inputs.metadataTags())
                    .configure(ListenerConfigurers.filterChain(List.of(filter)))
                    .build());
        }
        HttpConnectionManager hcm = httpConnectionManager(mesh, inputs);
        return SharedOutboundListener.withCallerTags(listener(inputs.iface(), inputs.binding(), inputs.metadataTags())
                .configure(ListenerConfigurers.filterChain(List.of(NetworkFilters.httpConnectionManager(hcm))))
                .build(), hcm);
    }

    /** {@code outbound:<ip>:<port>} on its address, with its tags, not bound when transparently proxied. */
    private static ListenerBuilder listener(OutboundInterface iface, Binding binding,
                                            Map<String, String> metadataTags) {
        ListenerBuilder listener = ListenerBuilder.named(EnvoyNames.outboundListener(iface.dataplaneIp(),
                        iface.dataplanePort()))
                .configure(ListenerConfigurers.outbound(iface.dataplaneIp(), iface.dataplanePort()));
        if (binding == Binding.NOT_BOUND) {
            listener.configure(ListenerConfigurers.notBound());
        }
        return listener.configure(ListenerConfigurers.tagsMetadata(metadataTags));
    }

    private static Filter tcpFilter(String service, List<Target> targets, Optional<TimeoutSpec.Conf> timeout,
                                    Optional<RetrySpec.Conf> retry, Optional<AccessLog> accessLog) {
        List<Configurer<TcpProxy.Builder>> configurers = List.of(
                TcpProxyConfigurers.clusters(targets.stream()
                        .map(t -> new TcpProxyConfigurers.WeightedCluster(t.cluster(), t.weight())).toList()),
                AccessLogs.tcp(accessLog),
                TimeoutConfigurers.tcpIdle(timeout),
                RetryConfigurers.tcp(retry));
        return NetworkFilters.tcpProxy(EnvoyNames.statName(service), configurers);
    }

    /** The one rule of a TrafficRoute without {@code conf.http}: everything to {@code targets}. */
    private static List<HttpRouteRules.Rule> single(List<Target> targets) {
        return targets.isEmpty() ? List.of() : List.of(new HttpRouteRules.Rule(EVERY_PATH, targets, null));
    }

    /**
     * The protocol of the endpoints of every service the rules send to (Kuma infers an outbound's protocol over all
     * of its destinations).
     */
    private static ServiceProtocol protocolOf(List<HttpRouteRules.Rule> rules, ServiceProtocols protocols) {
        if (rules.size() == 1 && rules.get(0).targets().size() == 1) {
            return protocols.of(rules.get(0).targets().get(0).service());
        }
        List<String> services = new ArrayList<>();
        rules.forEach(rule -> rule.targets().forEach(target -> services.add(target.service())));
        return protocols.of(services);
    }

    /** The HTTP connection manager of {@code inputs}, without the caller's {@code x-kuma-tags} header. */
    private static HttpConnectionManager httpConnectionManager(MeshContext mesh, ListenerInputs inputs) {
        String service = inputs.service();
        HttpConnectionManagerBuilder hcm = HttpConnectionManagerBuilder.withStatPrefix(EnvoyNames.statName(service))
                .configure(TimeoutConfigurers.connectionManager(inputs.timeout(), inputs.protocol()))
                .configure(TracingConfigurers.outbound(inputs.tracing(), service))
                .configure(AccessLogs.http(inputs.accessLog()));
        hcm.configure(RateLimitConfigurers.filter(inputs.externalLimit().stream().toList()));
        if (inputs.protocol() == ServiceProtocol.GRPC) {
            hcm.configure(HttpConfigurers.grpcStats());
        }
        hcm.configure(HttpConfigurers.inlineRoutes(routes(mesh, service, inputs.protocol(), inputs.rules(),
                inputs.timeout(), inputs.retry(), inputs.externalLimit())));
        return hcm.build();
    }

    /**
     * The RateLimit for the traffic from {@code proxy} to {@code service} when some rule goes to an ExternalService
     * and the limit has an HTTP part (Kuma 2.0 limits only the external routes on the caller's side; the mesh
     * service's own sidecar limits the others); empty otherwise.
     */
    private static Optional<Resource<RateLimitSpec>> externalRateLimit(ProxyContext proxy, String service,
                                                                       List<HttpRouteRules.Rule> rules) {
        if (ZoneEgressRouting.applies(proxy) || !anyToExternal(proxy.mesh(), rules)) {
            return Optional.empty(); // through zone egress, the egress limits it
        }
        return ConnectionPolicies.match(ConnectionPolicies.RATE_LIMIT, proxy, service).map(PolicyMatch::policy)
                .filter(limit -> RateLimitConfigurers.outboundBucket(limit).isPresent());
    }

    /**
     * {@code outbound:<service>} with {@code validateClusters: false} and one virtual host {@code <service>} for
     * every domain with the retry policy and a route per rule ({@link HttpRouteRules}), each with the Timeout's
     * request timeout. The caller's tags in {@code x-kuma-tags} ({@link #serializedTags}) are added per caller by
     * {@link SharedOutboundListener}.
     */
    private static RouteConfiguration routes(MeshContext mesh, String service, ServiceProtocol protocol,
                                             List<HttpRouteRules.Rule> rules, Optional<TimeoutSpec.Conf> timeout,
                                             Optional<RetrySpec.Conf> retry,
                                             Optional<Resource<RateLimitSpec>> externalLimit) {
        VirtualHost.Builder host = VirtualHost.newBuilder()
                .setName(service)
                .addDomains("*");
        for (HttpRouteRules.Rule rule : rules) {
            RouteAction.Builder action = RouteAction.newBuilder();
            TimeoutConfigurers.route(timeout).configure(action);
            boolean external = toExternal(mesh, rule);
            if (external) {
                // the external server expects its own name as Host, not the mesh service's; Envoy does it for
                // host-name (DNS) clusters. A TrafficRoute's modify.host still wins, as in Kuma.
                action.setAutoHostRewrite(Protos.bool(true));
            }
            Route route = HttpRouteRules.route(rule, action, RouteTargets.TotalWeight.SET,
                    HttpRouteRules.Client.ENVOY);
            if (external && externalLimit.isPresent()) {
                route = route.toBuilder().putTypedPerFilterConfig(RateLimitConfigurers.FILTER,
                        RateLimitConfigurers.outboundBucket(externalLimit.get()).orElseThrow()).build();
            }
            host.addRoutes(route);
        }
        RetryConfigurers.virtualHost(retry, protocol).configure(host);
        return RouteConfiguration.newBuilder()
                .setName(EnvoyNames.outboundRouteConfig(service))
                .setValidateClusters(Protos.bool(false))
                .addVirtualHosts(host)
                .build();
    }

    /**
     * The proxy's tags as Kuma's {@code tags.Serialize} writes them: {@code &key=v1,v2&} per tag, keys and values
     * sorted, over all inbounds (and the gateway).
     */
    static String serializedTags(DataplaneSpec spec) {
        Map<String, TreeSet<String>> values = new TreeMap<>();
        spec.tagSets().forEach(set -> set.forEach((key, value) ->
                values.computeIfAbsent(key, k -> new TreeSet<>()).add(value)));
        StringBuilder out = new StringBuilder();
        values.forEach((key, set) -> out.append('&').append(key).append('=').append(String.join(",", set))
                .append('&'));
        return out.toString();
    }

    /** Whether {@code service} is an ExternalService's: its clusters then go straight to the external address. */
    private static boolean isExternal(MeshContext mesh, String service) {
        return !mesh.externalEndpoints(service).isEmpty();
    }

    /** Whether some target of some rule is an ExternalService's. */
    private static boolean anyToExternal(MeshContext mesh, List<HttpRouteRules.Rule> rules) {
        for (HttpRouteRules.Rule rule : rules) {
            if (toExternal(mesh, rule)) {
                return true;
            }
        }
        return false;
    }

    /** Whether some target of {@code rule} is an ExternalService's. */
    private static boolean toExternal(MeshContext mesh, HttpRouteRules.Rule rule) {
        for (Target target : rule.targets()) {
            if (isExternal(mesh, target.service())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The cluster of {@code plan}; {@code protocol} is that of the endpoints of its service, Dataplanes' and
     * ExternalServices' ({@link ServiceProtocols}).
     */
    private static Cluster cluster(ProxyContext proxy, ClusterPlan plan,
                                   Optional<Resource<CircuitBreakerSpec>> selected,
                                   Optional<Resource<HealthCheckSpec>> healthCheck, DnsLookup dnsLookup,
                                   ServiceProtocol protocol) {
        Optional<CircuitBreakerSpec.Conf> breaker = selected.map(c -> c.spec().conf());
        if (isExternal(proxy.mesh(), plan.service()) && ZoneEgressRouting.applies(proxy)) {
            return ZoneEgressRouting.cluster(proxy, plan, protocol, breaker, healthCheck.map(h -> h.spec().conf()));
        }
        if (isExternal(proxy.mesh(), plan.service())) {
            return ExternalServiceClusters.of(plan, proxy.mesh().externalEndpoints(plan.service()), protocol,
                    dnsLookup, breaker, healthCheck.map(h -> h.spec().conf()));
        }
        ClusterBuilder cluster = ClusterBuilder.named(plan.name())
                .configure(ClusterConfigurers.eds())
                .configure(TimeoutConfigurers.connectTimeout(plan.timeout()))
                .configure(LoadBalancerConfigurers.of(plan.loadBalancer()))
                .configure(ClusterConfigurers.upstreamHttp2());
        if (protocol.isHttp()) {
            cluster.configure(TimeoutConfigurers.upstreamHttp(plan.timeout(), protocol));
        }
        ClientSideMtls.envoy(proxy, plan).ifPresent(socket ->
                cluster.configure(ClusterConfigurers.transportSocket(socket)));
        return cluster
                .configure(CircuitBreakerConfigurers.thresholds(breaker))
                .configure(CircuitBreakerConfigurers.outlierDetection(breaker))
                .configure(HealthCheckConfigurers.of(healthCheck.map(h -> h.spec().conf()), protocol))
                .build();
    }
}
