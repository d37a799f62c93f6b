package io.ursa.xds.server;

import io.ursa.xds.context.CrossMesh;
import io.ursa.xds.context.MeshContext;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which other meshes must be rebuilt after mesh M's context was: those whose proxies reach M's cross-mesh gateway
 * listeners ({@link CrossMesh}), when what M offers them changed (its cross-mesh listeners, their tags, its gateway
 * Dataplanes; M's CA is a Mesh or Secret change, after which every mesh is rebuilt anyway). That is every other
 * mesh with proxies and mTLS on (each reaches every offered listener), plus those that reached M before (to drop
 * what M no longer offers). A mesh with mTLS off reaches nothing and is left alone, as are all meshes when M's
 * offer did not change (a change to one of M's sidecars, a MeshGateway without cross-mesh listeners). Stateless.
 */
final class CrossMeshRebuilds {
    private CrossMeshRebuilds() {
    }

    /**
     * The meshes to rebuild because mesh {@code mesh} was rebuilt from {@code before} to {@code after} (empty when
     * the mesh is gone).
     *
     * @param withProxies the meshes that have connected proxies now
     * @param cached      the latest context of every mesh that has one
     */
    static Set<String> after(String mesh, Optional<MeshContext> before, Optional<MeshContext> after,
                             Set<String> withProxies, Map<String, MeshContext> cached) {
        CrossMesh was = before.map(MeshContext::crossMesh).orElse(CrossMesh.none());
        CrossMesh is = after.map(MeshContext::crossMesh).orElse(CrossMesh.none());
        if (was.offered().equals(is.offered())) {
            return Set.of();
        }
        Set<String> rebuild = new TreeSet<>();
        for (String other : withProxies) {
            MeshContext context = cached.get(other);
            if (!other.equals(mesh) && (context == null || context.mtls().isPresent())) {
                rebuild.add(other);
            }
        }
        cached.forEach((other, context) -> {
            if (!other.equals(mesh) && context.crossMesh().caRoots().containsKey(mesh)) {
                rebuild.add(other);
            }
        });
        return rebuild;
    }
}
