package io.ursa.xds.context;

import static java.util.Objects.requireNonNull;

import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.resource.Resource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The endpoints of a mesh's services ({@link MeshContextBuilder#endpoints} and
 * {@link MeshContextBuilder#applicationEndpoints}), with what each Dataplane contributes remembered from one build
 * of the mesh to the next. The store hands out the instance it decoded before for a row that did not change, so
 * only the Dataplanes that changed are looked at again, and only the services they add to or take from are listed
 * again: a mesh of thousands of proxies whose one instance came or went does not rebuild thousands of endpoints,
 * and every other service keeps its list instance. Instances are compared by identity, never by content, so a
 * Dataplane decoded anew is always looked at. Thread-safe; each build of a mesh replaces what the previous one
 * remembered, so at most one build's Dataplanes are held per mesh.
 */
final class EndpointsByDataplane {
    /** A Dataplane's endpoints, for sidecars and for proxyless gRPC clients, each with its service. */
    private record Contribution(List<Map.Entry<String, Endpoint>> sidecar,
                                List<Map.Entry<String, Endpoint>> application) {
    }

    /**
     * Both views of a mesh's endpoints by service, each list in {@link Endpoint#ORDER} and unmodifiable; the maps
     * are the caller's.
     */
    record ByService(Map<String, List<Endpoint>> sidecar, Map<String, List<Endpoint>> application) {
    }

    /** What a build of a mesh remembers: each Dataplane's contribution, and the lists it gave. */
    private record Built(Map<Resource<DataplaneSpec>, Contribution> byDataplane,
                         Map<String, List<Endpoint>> sidecar, Map<String, List<Endpoint>> application) {
    }

    /** One of a contribution's two views. */
    private interface View extends Function<Contribution, List<Map.Entry<String, Endpoint>>> {
    }

    private final Map<String, Built> byMesh = new ConcurrentHashMap<>();

    /** The endpoints of {@code dataplanes}, the Dataplanes of {@code mesh}; new maps on every call. */
    ByService of(String mesh, List<Resource<DataplaneSpec>> dataplanes) {
        requireNonNull(mesh, "mesh");
        Built before = byMesh.get(mesh);
        Map<Resource<DataplaneSpec>, Contribution> now = new IdentityHashMap<>(dataplanes.size() * 2);
        List<Contribution> inOrder = new ArrayList<>(dataplanes.size());
        List<Contribution> added = new ArrayList<>();
        for (Resource<DataplaneSpec> dataplane : dataplanes) {
            Contribution contribution = before == null ? null : before.byDataplane().get(dataplane);
            if (contribution == null) {
                contribution = contribution(dataplane);
                added.add(contribution);
            }
            now.put(dataplane, contribution);
            inOrder.add(contribution);
        }
        Built built;
        if (before == null || added.size() > dataplanes.size() / 2) {
            built = new Built(now, listed(inOrder, Contribution::sidecar), listed(inOrder, Contribution::application));
        } else {
            List<Contribution> removed = new ArrayList<>();
            if (before.byDataplane().size() != now.size() - added.size()) {
                before.byDataplane().forEach((dataplane, contribution) -> {
                    if (!now.containsKey(dataplane)) {
                        removed.add(contribution);
                    }
                });
            }
            built = new Built(now, relisted(before.sidecar(), added, removed, Contribution::sidecar),
                    relisted(before.application(), added, removed, Contribution::application));
        }
        byMesh.put(mesh, built);
        return new ByService(new TreeMap<>(built.sidecar()), new TreeMap<>(built.application()));
    }

    /** Forgets what a build of {@code mesh} remembered (the mesh is gone). */
    void forget(String mesh) {
        byMesh.remove(requireNonNull(mesh, "mesh"));
    }

    private static Map<String, List<Endpoint>> listed(List<Contribution> contributions, View view) {
        Map<String, List<Endpoint>> byService = new TreeMap<>();
        for (Contribution contribution : contributions) {
            view.apply(contribution).forEach(e -> byService.computeIfAbsent(e.getKey(), s -> new ArrayList<>())
                    .add(e.getValue()));
        }
        byService.replaceAll((service, list) -> sorted(list));
        return Collections.unmodifiableMap(byService);
    }

    /**
     * {@code before}'s lists with the endpoints of {@code removed} taken out (the very instances it listed) and
     * those of {@code added} put in; the lists of services neither touches are {@code before}'s own.
     */
    private static Map<String, List<Endpoint>> relisted(Map<String, List<Endpoint>> before,
                                                        List<Contribution> added, List<Contribution> removed,
                                                        View view) {
        Map<String, Set<Endpoint>> gone = new HashMap<>();
        for (Contribution contribution : removed) {
            view.apply(contribution).forEach(e -> gone.computeIfAbsent(e.getKey(),
                    s -> Collections.newSetFromMap(new IdentityHashMap<>())).add(e.getValue()));
        }
        Map<String, List<Endpoint>> come = new HashMap<>();
        for (Contribution contribution : added) {
            view.apply(contribution).forEach(e -> come.computeIfAbsent(e.getKey(), s -> new ArrayList<>())
                    .add(e.getValue()));
        }
        if (gone.isEmpty() && come.isEmpty()) {
            return before;
        }
        Set<String> touched = new HashSet<>(gone.keySet());
        touched.addAll(come.keySet());
        Map<String, List<Endpoint>> byService = new TreeMap<>(before);
        for (String service : touched) {
            Set<Endpoint> out = gone.getOrDefault(service, Set.of());
            List<Endpoint> list = new ArrayList<>();
            for (Endpoint endpoint : before.getOrDefault(service, List.of())) {
                if (!out.contains(endpoint)) {
                    list.add(endpoint);
                }
            }
            list.addAll(come.getOrDefault(service, List.of()));
            if (list.isEmpty()) {
                byService.remove(service);
            } else {
                byService.put(service, sorted(list));
            }
        }
        return Collections.unmodifiableMap(byService);
    }

    private static List<Endpoint> sorted(List<Endpoint> endpoints) {
        endpoints.sort(Endpoint.ORDER);
        return List.copyOf(endpoints);
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
