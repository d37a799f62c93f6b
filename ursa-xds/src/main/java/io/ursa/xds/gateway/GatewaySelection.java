package io.ursa.xds.gateway;

import static java.util.Objects.requireNonNull;

import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.gateway.MeshGatewayRouteSpec;
import io.ursa.api.gateway.MeshGatewaySpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.spec.Selector;
import io.ursa.xds.context.MeshContext;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.generator.policies.ConnectionPolicies;
import io.ursa.xds.generator.policies.PolicyMatch;
import io.ursa.xds.generator.policies.TagSelectorRank;
import io.ursa.xds.names.EnvoyNames;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which MeshGateway configures a builtin gateway Dataplane and what its listeners serve (Kuma 2.0's
 * {@code GatewayListenerInfoFromProxy}, {@code MakeGatewayListener} and {@code RedistributeWildcardRoutes} in
 * {@code pkg/plugins/runtime/gateway/generator.go}). The one place both the generator and the inspection endpoints
 * ({@code /dataplanes/{name}/policies}, {@code /meshgateways/{name}/dataplanes},
 * {@code /meshgatewayroutes/{name}/dataplanes}) match gateways and routes with.
 *
 * <ul>
 *   <li>The MeshGateway is the one whose most specific {@code selectors} entry matches the Dataplane's gateway
 *       tags ({@link ConnectionPolicies#MESH_GATEWAY}, Kuma's {@code SelectGateway}).</li>
 *   <li>A listener's tags are the Dataplane's gateway tags, overridden by the MeshGateway's {@code tags}, overridden
 *       by the listener's own (Kuma's {@code mesh_proto.Merge}, later wins).</li>
 *   <li>Listeners on one port collapse into one Envoy listener, named after the first of them
 *       ({@code <gateway>:<PROTOCOL>:<port>}); each of their hostnames is a host (the last listener with a hostname
 *       wins), with that listener's TLS and tags.</li>
 *   <li>A MeshGatewayRoute attaches to a host when one of its selectors matches the host's listener tags (Kuma's
 *       {@code match.Routes}); HTTP routes only to HTTP and HTTPS listeners, TCP routes only to TCP ones.</li>
 *   <li>Routes of the {@code *} host that name hostnames move to those hosts (created as copies of {@code *} when
 *       missing; {@code *.suffix} also reaches every host ending in {@code suffix}); hosts are ordered by hostname,
 *       reversed, so that more specific names come before their wildcards and {@code *} is last.</li>
 * </ul>
 * Unlike Kuma, whose map iteration leaves them in random order, listeners are sorted by port and each host's routes
 * by name, so the generated configuration is deterministic. Stateless.
 */
public final class GatewaySelection {
    /** One hostname of a listener: its TLS (TERMINATE, or none), its listener's tags and the routes it serves. */
    public record Host(String hostname, Optional<MeshGatewaySpec.Tls> tls, Map<String, String> tags,
                       List<Resource<MeshGatewayRouteSpec>> routes) {
        public Host {
            requireNonNull(hostname, "hostname");
            requireNonNull(tls, "tls");
            tags = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(tags));
            routes = List.copyOf(routes);
        }

        Host withHostname(String name, List<Resource<MeshGatewayRouteSpec>> newRoutes) {
            return new Host(name, tls, tags, newRoutes);
        }
    }

    /** One Envoy listener: the MeshGateway listeners on one port. */
    public record Listener(String name, int port, MeshGatewaySpec.Protocol protocol, boolean crossMesh,
                           long connectionLimit, List<Host> hosts) {
        public Listener {
            requireNonNull(name, "name");
            requireNonNull(protocol, "protocol");
            hosts = List.copyOf(hosts);
        }

        /** Whether the listener serves HTTP (plain or over TLS). */
        public boolean isHttp() {
            return protocol == MeshGatewaySpec.Protocol.HTTP || protocol == MeshGatewaySpec.Protocol.HTTPS;
        }
    }

    /** The MeshGateway of a Dataplane, why it was chosen, and its listeners. */
    public record Selected(PolicyMatch<MeshGatewaySpec> match, List<Listener> listeners) {
        public Selected {
            requireNonNull(match, "match");
            listeners = List.copyOf(listeners);
        }

        public Resource<MeshGatewaySpec> gateway() {
            return match.policy();
        }
    }

    private GatewaySelection() {
    }

    /** Whether {@code dataplane} is a builtin gateway ({@code networking.gateway.type: BUILTIN}). */
    public static boolean isBuiltinGateway(Resource<DataplaneSpec> dataplane) {
        return dataplane.spec().hasGateway(DataplaneSpec.GatewayType.BUILTIN);
    }

    /**
     * The MeshGateway of {@code dataplane} and its listeners; empty when the Dataplane is not a builtin gateway or
     * no MeshGateway selects it.
     */
    public static Optional<Selected> of(MeshContext mesh, Resource<DataplaneSpec> dataplane) {
        requireNonNull(mesh, "mesh");
        requireNonNull(dataplane, "dataplane");
        if (!isBuiltinGateway(dataplane) || mesh.policies(ResourceTypes.MESH_GATEWAY).isEmpty()) {
            return Optional.empty();
        }
        Optional<PolicyMatch<MeshGatewaySpec>> match = ConnectionPolicies.matchDataplane(
                ConnectionPolicies.MESH_GATEWAY, new ProxyContext(dataplane, mesh));
        return match.map(m -> new Selected(m, listeners(mesh, dataplane, m.policy())));
    }

    private static List<Listener> listeners(MeshContext mesh, Resource<DataplaneSpec> dataplane,
                                            Resource<MeshGatewaySpec> gateway) {
        MeshGatewaySpec spec = gateway.spec();
        if (spec.conf() == null) {
            return List.of();
        }
        Map<Integer, List<MeshGatewaySpec.Listener>> byPort = new TreeMap<>();
        for (MeshGatewaySpec.Listener listener : spec.conf().listeners()) {
            byPort.computeIfAbsent(listener.port(), p -> new ArrayList<>()).add(listener);
        }
        Map<String, String> dataplaneTags = dataplane.spec().networking().gateway().tags();
        List<Resource<MeshGatewayRouteSpec>> allRoutes = mesh.policies(ResourceTypes.MESH_GATEWAY_ROUTE);
        List<Listener> listeners = new ArrayList<>();
        byPort.forEach((port, onPort) -> {
            MeshGatewaySpec.Listener first = onPort.get(0);
            Map<String, Host> hosts = new LinkedHashMap<>();
            for (MeshGatewaySpec.Listener listener : onPort) {
                Map<String, String> tags = listenerTags(dataplaneTags, spec.tags(), listener.tags());
                List<Resource<MeshGatewayRouteSpec>> routes = allRoutes.stream()
                        .filter(route -> selects(route.spec().selectors(), tags))
                        .filter(route -> servesProtocol(route.spec(), first.protocol()))
                        .toList();
                hosts.put(listener.effectiveHostname(), new Host(listener.effectiveHostname(),
                        Optional.ofNullable(listener.tls()), tags, routes));
            }
            List<Host> ordered = new ArrayList<>(redistributeWildcardRoutes(hosts).values());
            ordered.sort(Comparator.comparing(Host::hostname).reversed());
            listeners.add(new Listener(EnvoyNames.gatewayListener(gateway.name(), first.protocol().name(), port),
                    port, first.protocol(), first.crossMesh(), first.connectionLimit(), ordered));
        });
        return listeners;
    }

    /** Kuma's merge of the Dataplane's gateway tags, the MeshGateway's tags and the listener's, later wins. */
    static Map<String, String> listenerTags(Map<String, String> dataplane, Map<String, String> gateway,
                                            Map<String, String> listener) {
        Map<String, String> merged = new TreeMap<>(dataplane);
        merged.putAll(gateway);
        merged.putAll(listener);
        return merged;
    }

    /** Whether one of {@code selectors} matches {@code tags} (Kuma's {@code policy.MatchSelector}). */
    static boolean selects(List<Selector> selectors, Map<String, String> tags) {
        return selectors.stream().anyMatch(selector -> TagSelectorRank.matches(selector, tags));
    }

    /** HTTP routes serve HTTP and HTTPS listeners, TCP routes TCP listeners (Kuma's {@code FilterProtocols}). */
    static boolean servesProtocol(MeshGatewayRouteSpec route, MeshGatewaySpec.Protocol protocol) {
        if (route.conf() == null) {
            return false;
        }
        if (route.conf().http() != null) {
            return protocol == MeshGatewaySpec.Protocol.HTTP || protocol == MeshGatewaySpec.Protocol.HTTPS;
        }
        return route.conf().tcp() != null && protocol == MeshGatewaySpec.Protocol.TCP;
    }

    /** Kuma's {@code RedistributeWildcardRoutes} (rules in the type comment); routes of each host sorted by name. */
    private static Map<String, Host> redistributeWildcardRoutes(Map<String, Host> hosts) {
        Host wild = hosts.get(MeshGatewaySpec.WILDCARD_HOSTNAME);
        if (wild == null) {
            return hosts;
        }
        Map<String, Map<String, Resource<MeshGatewayRouteSpec>>> routesByHost = new LinkedHashMap<>();
        Map<String, Host> result = new LinkedHashMap<>();
        hosts.forEach((name, host) -> {
            result.put(name, host);
            Map<String, Resource<MeshGatewayRouteSpec>> own = new TreeMap<>();
            if (!name.equals(MeshGatewaySpec.WILDCARD_HOSTNAME)) {
                host.routes().forEach(r -> own.put(r.name(), r));
            }
            routesByHost.put(name, own);
        });
        for (Resource<MeshGatewayRouteSpec> route : wild.routes()) {
            List<String> names = route.spec().conf().http() == null ? List.of()
                    : route.spec().conf().http().hostnames();
            if (names.isEmpty()) {
                routesByHost.get(MeshGatewaySpec.WILDCARD_HOSTNAME).put(route.name(), route);
                continue;
            }
            for (String name : names) {
                if (!result.containsKey(name)) {
                    result.put(name, wild.withHostname(name, List.of()));
                    routesByHost.put(name, new TreeMap<>());
                }
                routesByHost.get(name).put(route.name(), route);
                if (name.startsWith("*.")) {
                    String suffix = name.substring(2);
                    for (String hostname : List.copyOf(result.keySet())) {
                        if (hostname.endsWith(suffix)) {
                            routesByHost.get(hostname).put(route.name(), route);
                        }
                    }
                }
            }
        }
        Map<String, Host> redistributed = new LinkedHashMap<>();
        result.forEach((name, host) -> redistributed.put(name, host.withHostname(name,
                List.copyOf(routesByHost.get(name).values()))));
        return redistributed;
    }
}
