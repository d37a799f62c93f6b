package io.ursa.xds.context;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a mesh has to do with the {@code crossMesh} listeners of MeshGateways, the one way between meshes (Kuma 2.0's
 * cross-mesh gateways): the listeners of other meshes its proxies reach, with the CAs they are verified against,
 * and its own listeners, which the proxies of other meshes reach.
 *
 * <p>A mesh reaches the listeners of every <em>other</em> mesh whose mTLS is on, when its own mTLS is on too;
 * a mesh with mTLS off reaches nothing and is reached by nobody (its gateways' cross-mesh listeners are not
 * offered).
 *
 * @param reachable the cross-mesh listeners of other meshes, in (mesh, gateway, hostname, port) order
 * @param caRoots   per mesh of a reachable listener, the trusted roots (PEM) of its CA: its gateways present
 *                  certificates chaining to them
 * @param offered   this mesh's own cross-mesh listeners (empty when its mTLS is off), in the same order
 */
public record CrossMesh(List<CrossMeshListener> reachable, SortedMap<String, String> caRoots,
                        List<CrossMeshListener> offered) {
    static final Comparator<CrossMeshListener> ORDER = Comparator.comparing(CrossMeshListener::mesh)
            .thenComparing(CrossMeshListener::gateway)
            .thenComparing(CrossMeshListener::hostname)
            .thenComparingInt(CrossMeshListener::port);
    private static final CrossMesh NONE = new CrossMesh(List.of(), new TreeMap<>(), List.of());

    public CrossMesh {
        reachable = requireNonNull(reachable, "reachable").stream().sorted(ORDER).toList();
        caRoots = Collections.unmodifiableSortedMap(new TreeMap<>(requireNonNull(caRoots, "caRoots")));
        offered = requireNonNull(offered, "offered").stream().sorted(ORDER).toList();
        for (CrossMeshListener listener : reachable) {
            if (!caRoots.containsKey(listener.mesh())) {
                throw new IllegalArgumentException("cross-mesh listener " + listener.origin() + " has no CA roots"
                        + " (expected: the roots of mesh " + listener.mesh() + ")");
            }
        }
    }

    /** Nothing reachable, nothing offered. */
    public static CrossMesh none() {
        return NONE;
    }

    /** The reachable listeners of {@code mesh} whose outbound leads to {@code service}. */
    public List<CrossMeshListener> reachable(String mesh, String service) {
        return reachable.stream().filter(l -> l.mesh().equals(mesh) && l.service().equals(service)).toList();
    }

    /** The endpoints of every reachable listener of {@code mesh} whose outbound leads to {@code service}. */
    public List<Endpoint> endpoints(String mesh, String service) {
        return reachable(mesh, service).stream().flatMap(l -> l.endpoints().stream()).distinct()
                .sorted(Endpoint.ORDER).toList();
    }

    /** The other meshes whose listeners are reachable, sorted. */
    public java.util.SortedSet<String> reachableMeshes() {
        return Collections.unmodifiableSortedSet(new java.util.TreeSet<>(caRoots.keySet()));
    }

    /** What the mesh context hash takes from cross-mesh gateways; empty when there is nothing. */
    String hashInput() {
        if (reachable.isEmpty() && offered.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder("cross-mesh");
        reachable.forEach(l -> out.append("\nreach ").append(l.hashInput()));
        caRoots.forEach((mesh, roots) -> out.append("\nca ").append(mesh).append(' ').append(roots));
        offered.forEach(l -> out.append("\noffer ").append(l.hashInput()));
        return out.toString();
    }
}
