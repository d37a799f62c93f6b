package io.ursa.xds.context;

import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.gateway.MeshGatewaySpec;
import io.ursa.api.mesh.MeshSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.spec.Selector;
import io.ursa.api.spec.Tags;
import io.ursa.ca.MeshCa;
import io.ursa.ca.MeshCertificateAuthorities;
import io.ursa.core.ca.CaUnavailableException;
import io.ursa.core.store.ListQuery;
import io.ursa.core.store.ResourceReader;
import io.ursa.xds.generator.policies.TagSelectorRank;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the {@link CrossMesh} of a mesh through the reader of the snapshot its context is built from (Kuma's
 * cross-mesh fetch in {@code mesh_context_builder.go}, {@code BuildCrossMeshEndpointMap}, {@code SelectGateway}).
 *
 * <p>A builtin gateway Dataplane belongs to the MeshGateway that selects it best: among the gateways with a selector
 * that matches the Dataplane's gateway tags, the one whose best such selector ranks highest
 * ({@link TagSelectorRank}: more tags, then more exact values), then the one created later, then the first by name,
 * as policies select a Dataplane. Stateless.
 */
final class CrossMeshListeners {
    private static final Logger log = LoggerFactory.getLogger(CrossMeshListeners.class);

    private CrossMeshListeners() {
    }

    /**
     * The cross-mesh side of mesh {@code meshName}: nothing when its mTLS is off; else the listeners of every other
     * mesh whose mTLS is on with a usable CA, and its own.
     *
     * @param dataplanes the mesh's own Dataplanes, already read
     */
    static CrossMesh read(ResourceReader reader, MeshCertificateAuthorities cas, Resource<MeshSpec> mesh,
                          List<Resource<DataplaneSpec>> dataplanes) {
        if (!mesh.spec().mtlsEnabled()) {
            return CrossMesh.none();
        }
        List<CrossMeshListener> offered = listeners(mesh.name(), gateways(reader, mesh.name()), dataplanes);
        List<CrossMeshListener> reachable = new ArrayList<>();
        TreeMap<String, String> roots = new TreeMap<>();
        for (Resource<MeshSpec> other : reader.list(ResourceTypes.MESH, ListQuery.all()).items()) {
            if (other.name().equals(mesh.name()) || !other.spec().mtlsEnabled()) {
                continue;
            }
            List<Resource<MeshGatewaySpec>> gateways = gateways(reader, other.name());
            if (gateways.isEmpty()) {
                continue;
            }
            Optional<MeshCa> ca;
            try {
                ca = cas.enabled(other.name(), other.spec());
            } catch (CaUnavailableException e) {
                log.debug("the cross-mesh listeners of mesh {} are not offered: its CA cannot be used: {}",
                        other.name(), e.getMessage());
                continue;
            }
            if (ca.isEmpty()) {
                continue;
            }
            List<Resource<DataplaneSpec>> otherDataplanes = new ArrayList<>(
                    reader.list(ResourceTypes.DATAPLANE, ListQuery.inMesh(other.name())).items());
            otherDataplanes.removeIf(d -> !d.spec().hasGateway(DataplaneSpec.GatewayType.BUILTIN));
            otherDataplanes.sort(Comparator.comparing(Resource::name));
            List<CrossMeshListener> listeners = listeners(other.name(), gateways, otherDataplanes);
            if (!listeners.isEmpty()) {
                reachable.addAll(listeners);
                roots.put(other.name(), ca.get().trustedRootsPem());
            }
        }
        return new CrossMesh(reachable, roots, offered);
    }

    /** The MeshGateways of {@code mesh} with a cross-mesh listener, by name. */
    private static List<Resource<MeshGatewaySpec>> gateways(ResourceReader reader, String mesh) {
        List<Resource<MeshGatewaySpec>> gateways = new ArrayList<>(
                reader.list(ResourceTypes.MESH_GATEWAY, ListQuery.inMesh(mesh)).items());
        gateways.removeIf(g -> !g.spec().isCrossMesh());
        gateways.sort(Comparator.comparing(Resource::name));
        return gateways;
    }

    /** The cross-mesh listeners of {@code gateways} (all of mesh {@code mesh}) with their endpoints. */
    static List<CrossMeshListener> listeners(String mesh, List<Resource<MeshGatewaySpec>> gateways,
                                             List<Resource<DataplaneSpec>> dataplanes) {
        if (gateways.isEmpty()) {
            return List.of();
        }
        Map<String, List<Resource<DataplaneSpec>>> selected = new TreeMap<>();
        for (Resource<DataplaneSpec> dataplane : dataplanes) {
            if (dataplane.spec().hasGateway(DataplaneSpec.GatewayType.BUILTIN)) {
                select(gateways, dataplane.spec().networking().gateway().tags()).ifPresent(gateway ->
                        selected.computeIfAbsent(gateway.name(), g -> new ArrayList<>()).add(dataplane));
            }
        }
        List<CrossMeshListener> listeners = new ArrayList<>();
        for (Resource<MeshGatewaySpec> gateway : gateways) {
            MeshGatewaySpec spec = gateway.spec();
            if (spec.selectors().isEmpty()) {
                continue;
            }
            Selector selector = spec.selectors().get(0); // a cross-mesh gateway has exactly one (validation)
            for (MeshGatewaySpec.Listener listener : spec.conf().listeners()) {
                if (!listener.crossMesh()) {
                    continue;
                }
                String hostname = listener.crossMeshHostname(gateway.name(), mesh);
                TreeMap<String, String> tags = new TreeMap<>(spec.tags());
                tags.putAll(listener.tags());
                tags.put(Tags.MESH, mesh);
                tags.putAll(selector.match());
                List<Endpoint> endpoints = new ArrayList<>();
                for (Resource<DataplaneSpec> dataplane : selected.getOrDefault(gateway.name(), List.of())) {
                    DataplaneSpec.Networking networking = dataplane.spec().networking();
                    TreeMap<String, String> endpointTags = new TreeMap<>(networking.gateway().tags());
                    endpointTags.putAll(spec.tags());
                    endpointTags.putAll(listener.tags());
                    endpoints.add(new Endpoint(networking.address(), listener.port(), endpointTags,
                            dataplane.name()));
                }
                listeners.add(new CrossMeshListener(mesh, gateway.name(), hostname, listener.port(), tags,
                        endpoints));
            }
        }
        return listeners;
    }

    /** The gateway that selects a builtin gateway Dataplane with {@code tags} best; empty when none does. */
    static Optional<Resource<MeshGatewaySpec>> select(List<Resource<MeshGatewaySpec>> gateways,
                                                      Map<String, String> tags) {
        Resource<MeshGatewaySpec> best = null;
        TagSelectorRank bestRank = null;
        for (Resource<MeshGatewaySpec> gateway : gateways) {
            Optional<TagSelectorRank> rank = gateway.spec().selectors().stream()
                    .filter(s -> TagSelectorRank.matches(s, tags))
                    .map(TagSelectorRank::of)
                    .max(Comparator.naturalOrder());
            if (rank.isEmpty()) {
                continue;
            }
            int order = bestRank == null ? 1 : rank.get().compareTo(bestRank);
            if (order > 0 || order == 0 && gateway.meta().creationTime().isAfter(best.meta().creationTime())) {
                best = gateway;
                bestRank = rank.get();
            }
        }
        return Optional.ofNullable(best);
    }
}
