package io.ursa.xds.context;

import static java.util.Objects.requireNonNull;

import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.resource.Resource;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The endpoints of a mesh's services ({@link MeshContextBuilder#endpoints} and
 * {@link MeshContextBuilder#applicationEndpoints}), with what each Dataplane contributes remembered from one build
 * of the mesh to the next. The store hands out the instance it decoded before for a row that did not change, so
 * only the Dataplanes that changed are looked at again; a mesh of thousands of proxies whose one instance came or
 * went does not rebuild thousands of endpoints. Instances are compared by identity, never by content, so a
 * Dataplane decoded anew is always looked at. Thread-safe; each build of a mesh replaces what the previous one
 * remembered, so at most one build's Dataplanes are held per mesh.
 */
final class EndpointsByDataplane {
    /** A Dataplane's endpoints, for sidecars and for proxyless gRPC clients, each with its service. */
    private record Contribution(List<Map.Entry<String, Endpoint>> sidecar,
                                List<Map.Entry<String, Endpoint>> application) {
    }

    /** Both views of a mesh's endpoints by service, each list in {@link Endpoint#ORDER}; the maps are the caller's. */
    record ByService(Map<String, List<Endpoint>> sidecar, Map<String, List<Endpoint>> application) {
    }

    private final Map<String, Map<Resource<DataplaneSpec>, Contribution>> byMesh = new ConcurrentHashMap<>();

    /** The endpoints of {@code dataplanes}, the Dataplanes of {@code mesh}; new maps and lists on every call. */
    ByService of(String mesh, List<Resource<DataplaneSpec>> dataplanes) {
        requireNonNull(mesh, "mesh");
        Map<Resource<DataplaneSpec>, Contribution> before = byMesh.getOrDefault(mesh, Map.of());
        Map<Resource<DataplaneSpec>, Contribution> now = new IdentityHashMap<>(dataplanes.size() * 2);
        Map<String, List<Endpoint>> sidecar = new TreeMap<>();
        Map<String, List<Endpoint>> application = new TreeMap<>();
        for (Resource<DataplaneSpec> dataplane : dataplanes) {
            Contribution contribution = before.get(dataplane);
            if (contribution == null) {
                contribution = contribution(dataplane);
            }
            now.put(dataplane, contribution);
            contribution.sidecar().forEach(e -> sidecar.computeIfAbsent(e.getKey(), s -> new ArrayList<>())
                    .add(e.getValue()));
            contribution.application().forEach(e -> application.computeIfAbsent(e.getKey(),
                    s -> new ArrayList<>()).add(e.getValue()));
        }
        sidecar.values().forEach(list -> list.sort(Endpoint.ORDER));
        application.values().forEach(list -> list.sort(Endpoint.ORDER));
        byMesh.put(mesh, now);
        return new ByService(sidecar, application);
    }

    /** Forgets what a build of {@code mesh} remembered (the mesh is gone). */
    void forget(String mesh) {
        byMesh.remove(requireNonNull(mesh, "mesh"));
    }

    private static Contribution contribution(Resource<DataplaneSpec> dataplane) {
        List<Resource<DataplaneSpec>> one = List.of(dataplane);
        return new Contribution(entries(MeshContextBuilder.endpoints(one)),
                entries(MeshContextBuilder.applicationEndpoints(one)));
    }

    private static List<Map.Entry<String, Endpoint>> entries(Map<String, List<Endpoint>> byService) {
        List<Map.Entry<String, Endpoint>> entries = new ArrayList<>();
        byService.forEach((service, endpoints) -> endpoints.forEach(e -> entries.add(Map.entry(service, e))));
        return List.copyOf(entries);
    }
}
