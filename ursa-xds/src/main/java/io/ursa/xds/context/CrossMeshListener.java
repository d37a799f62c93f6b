package io.ursa.xds.context;

import static java.util.Objects.requireNonNull;

import io.ursa.api.spec.Tags;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One {@code crossMesh} listener of a MeshGateway, as proxies of other meshes reach it (Kuma's
 * {@code addFromMeshGateway} in {@code pkg/dns/vips_allocator.go} and {@code BuildCrossMeshEndpointMap} in
 * {@code pkg/xds/topology/outbound.go}).
 *
 * @param mesh      the gateway's mesh
 * @param gateway   the MeshGateway's name
 * @param hostname  the listener's hostname, or {@code internal.<gateway>.<mesh>.mesh} when it is empty or a
 *                  wildcard ({@code MeshGatewaySpec.Listener#crossMeshHostname})
 * @param port      the listener's port
 * @param tags      what an outbound toward the listener is routed by: the gateway's tags, the listener's, then
 *                  {@code kuma.io/mesh: <mesh>}, then the gateway selector's match, later ones winning
 * @param endpoints the builtin gateway Dataplanes of {@code mesh} this gateway selects: each Dataplane's
 *                  {@code networking.address} on the listener's port, with the Dataplane's gateway tags, the
 *                  gateway's and the listener's; in (address, port, dataplane) order
 */
public record CrossMeshListener(String mesh, String gateway, String hostname, int port,
                                SortedMap<String, String> tags, List<Endpoint> endpoints) {
    public CrossMeshListener {
        requireNonNull(mesh, "mesh");
        requireNonNull(gateway, "gateway");
        requireNonNull(hostname, "hostname");
        tags = Collections.unmodifiableSortedMap(new TreeMap<>(requireNonNull(tags, "tags")));
        endpoints = requireNonNull(endpoints, "endpoints").stream().sorted(Endpoint.ORDER).toList();
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("invalid cross-mesh listener port: " + port + " (expected: 1-65535)");
        }
    }

    /** The service the listener's outbound leads to (the selector's {@code kuma.io/service}); empty without one. */
    public String service() {
        return tags.getOrDefault(Tags.SERVICE, "");
    }

    /** Where the listener's VIP comes from, as Kuma writes it: {@code mesh-gateway:<mesh>:<gateway>:<hostname>}. */
    public String origin() {
        return "mesh-gateway:" + mesh + ":" + gateway + ":" + hostname;
    }

    /** What the mesh context hash takes from the listener. */
    String hashInput() {
        StringBuilder out = new StringBuilder(origin()).append('|').append(port).append('|').append(tags);
        endpoints.forEach(e -> out.append('|').append(e.dataplane()).append('@').append(e.address()).append(':')
                .append(e.port()).append(e.tags()));
        return out.toString();
    }
}
