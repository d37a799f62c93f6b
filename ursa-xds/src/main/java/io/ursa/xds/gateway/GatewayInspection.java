package io.ursa.xds.gateway;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.xds.context.MeshContext;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.generator.policies.ConnectionPolicies;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The inspection of builtin gateways, in Kuma 2.0's JSON ({@code pkg/api-server/types/gateway.go} and
 * {@code inspect_endpoints.go}), from the same matching the generator uses ({@link GatewaySelection},
 * {@link RouteEntries}, {@link GatewayPolicies}):
 * <ul>
 *   <li>{@link #dataplane}: {@code GET /meshes/{mesh}/dataplanes/{name}/policies} of a builtin gateway,
 *       {@code {"kind": "MeshGatewayDataplane", "gateway": {"mesh", "name"}, "listeners": [{"port", "protocol",
 *       "hosts": [{"hostName", "routes": [{"route", "destinations": [{"tags", "policies": {"<type>": policy}}]}]}]}],
 *       "policies": {"TrafficTrace": policy}}}}, hosts by name, routes by name, destinations by their tags. Unlike
 *       Kuma, which keeps only one forward destination of a route with several (a slip in its loop), every backend
 *       and mirror is listed. Ursa adds {@code "problems"}: why listeners are left out of the proxy's configuration
 *       ({@link GatewayGenerator#problems}), only when there are some;</li>
 *   <li>{@link #gatewayDataplanes}: {@code GET /meshes/{mesh}/meshgateways/{name}/dataplanes},
 *       {@code {"total", "items": [{"dataplane": {"mesh", "name"}}]}}, the builtin gateway Dataplanes the
 *       MeshGateway is the one selected for;</li>
 *   <li>{@link #routeDataplanes}: {@code GET /meshes/{mesh}/meshgatewayroutes/{name}/dataplanes}, the same shape,
 *       the builtin gateway Dataplanes one of whose hosts has an entry of the route.</li>
 * </ul>
 * Dataplanes are listed by name. Stateless.
 */
public final class GatewayInspection {
    /** Kuma's {@code kind} of the {@code /policies} answer for a builtin gateway. */
    public static final String GATEWAY_DATAPLANE = "MeshGatewayDataplane";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private GatewayInspection() {
    }

    /** The {@code /policies} answer for {@code proxy}, a builtin gateway's; its policies written by {@code codec}. */
    public static ObjectNode dataplane(ProxyContext proxy, ResourceCodec codec) {
        requireNonNull(proxy, "proxy");
        requireNonNull(codec, "codec");
        ObjectNode out = JSON.objectNode();
        out.put("kind", GATEWAY_DATAPLANE);
        Optional<GatewaySelection.Selected> selected = GatewaySelection.of(proxy.mesh(), proxy.dataplane());
        ObjectNode gateway = out.putObject("gateway");
        gateway.put("mesh", selected.map(s -> s.gateway().mesh()).orElse(""));
        gateway.put("name", selected.map(s -> s.gateway().name()).orElse(""));
        ArrayNode listeners = out.putArray("listeners");
        selected.ifPresent(s -> s.listeners().forEach(l -> listeners.add(listener(proxy.mesh(), l, codec))));
        ConnectionPolicies.trafficTrace(proxy).ifPresent(trace ->
                out.putObject("policies").set(trace.type().name(), codec.toUniversal(trace)));
        List<String> problems = GatewayGenerator.problems(proxy);
        if (!problems.isEmpty()) {
            ArrayNode list = out.putArray("problems");
            problems.forEach(list::add);
        }
        return out;
    }

    private static ObjectNode listener(MeshContext mesh, GatewaySelection.Listener listener, ResourceCodec codec) {
        ObjectNode out = JSON.objectNode();
        out.put("port", listener.port());
        out.put("protocol", listener.protocol().name());
        ArrayNode hosts = out.putArray("hosts");
        listener.hosts().stream().sorted(Comparator.comparing(GatewaySelection.Host::hostname)).forEach(host -> {
            Map<String, List<RouteEntry.Backend>> byRoute = new TreeMap<>();
            for (RouteEntry entry : RouteEntries.of(host)) {
                List<RouteEntry.Backend> backends = byRoute.computeIfAbsent(entry.route(), r -> new ArrayList<>());
                entry.mirror().ifPresent(m -> backends.add(m.backend()));
                backends.addAll(entry.forward());
            }
            ObjectNode hostNode = hosts.addObject();
            hostNode.put("hostName", host.hostname());
            ArrayNode routes = hostNode.putArray("routes");
            byRoute.forEach((route, backends) -> {
                if (backends.isEmpty()) {
                    return;
                }
                ObjectNode routeNode = routes.addObject();
                routeNode.put("route", route);
                ArrayNode destinations = routeNode.putArray("destinations");
                backends.stream().sorted(Comparator.comparing(b -> b.destination().toString()))
                        .forEach(b -> destinations.add(destination(mesh, host, b, codec)));
            });
        });
        return out;
    }

    private static ObjectNode destination(MeshContext mesh, GatewaySelection.Host host, RouteEntry.Backend backend,
                                          ResourceCodec codec) {
        ObjectNode out = JSON.objectNode();
        ObjectNode tags = out.putObject("tags");
        backend.destination().forEach(tags::put);
        ObjectNode policies = out.putObject("policies");
        GatewayPolicies matched = GatewayPolicies.of(mesh, host.tags(), backend.destination());
        List<Optional<? extends Resource<?>>> all = List.of(matched.circuitBreaker(), matched.healthCheck(),
                matched.rateLimit(), matched.retry(), matched.timeout());
        all.forEach(p -> p.ifPresent(policy -> policies.set(policy.type().name(), codec.toUniversal(policy))));
        return out;
    }

    /** The builtin gateway Dataplanes of {@code mesh} that MeshGateway {@code gateway} is selected for. */
    public static ObjectNode gatewayDataplanes(MeshContext mesh, String gateway) {
        requireNonNull(gateway, "gateway");
        return list(mesh, dataplane -> GatewaySelection.of(mesh, dataplane)
                .filter(s -> s.gateway().name().equals(gateway)).isPresent());
    }

    /** The builtin gateway Dataplanes of {@code mesh} some host of which routes by MeshGatewayRoute {@code route}. */
    public static ObjectNode routeDataplanes(MeshContext mesh, String route) {
        requireNonNull(route, "route");
        return list(mesh, dataplane -> GatewaySelection.of(mesh, dataplane).stream()
                .flatMap(s -> s.listeners().stream())
                .flatMap(l -> l.hosts().stream())
                .flatMap(h -> RouteEntries.of(h).stream())
                .anyMatch(e -> e.route().equals(route)));
    }

    /** Whether {@code mesh} has MeshGateway {@code name}. */
    public static boolean hasGateway(MeshContext mesh, String name) {
        return mesh.policies(ResourceTypes.MESH_GATEWAY).stream().anyMatch(g -> g.name().equals(name));
    }

    /** Whether {@code mesh} has MeshGatewayRoute {@code name}. */
    public static boolean hasRoute(MeshContext mesh, String name) {
        return mesh.policies(ResourceTypes.MESH_GATEWAY_ROUTE).stream().anyMatch(r -> r.name().equals(name));
    }

    private static ObjectNode list(MeshContext mesh, java.util.function.Predicate<Resource<DataplaneSpec>> keep) {
        requireNonNull(mesh, "mesh");
        ObjectNode out = JSON.objectNode();
        ArrayNode items = JSON.arrayNode();
        for (Resource<DataplaneSpec> dataplane : mesh.dataplanes()) {
            if (GatewaySelection.isBuiltinGateway(dataplane) && keep.test(dataplane)) {
                items.addObject().putObject("dataplane").put("mesh", dataplane.mesh()).put("name", dataplane.name());
            }
        }
        out.put("total", items.size());
        out.set("items", items);
        return out;
    }
}
