package io.ursa.apiserver;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursa.api.gateway.MeshGatewaySpec;
import io.ursa.api.mesh.MeshSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.ca.MeshCertificateAuthorities;
import io.ursa.core.ca.CaUnavailableException;
import io.ursa.core.manager.ResourceManager;
import io.ursa.core.store.ListQuery;
import java.util.Comparator;
import java.util.List;

/**
 * Ursa's addition to a MeshInsight: the field {@value #FIELD}, the trust that cross-mesh MeshGateway listeners create
 * between meshes (the one way between meshes; Kuma 2.0 shows it nowhere). A listener with {@code crossMesh: true}
 * of mesh M is reached by the proxies of every other mesh whose mTLS is on, when M's mTLS is on too and both CAs can
 * be used (the rule of the xDS mesh context):
 * <pre>{@code
 * "crossMesh": {
 *   "offered": [{"gateway": "edge", "hostname": "edge.a.test", "port": 8080, "reachableFrom": ["b", "c"]}],
 *   "reaches": [{"mesh": "a", "gateway": "edge", "hostname": "edge.a.test", "port": 8080}]
 * }
 * }</pre>
 * {@code offered}: this mesh's cross-mesh listeners and the meshes whose proxies reach them, sorted;
 * {@code reaches}: the cross-mesh listeners of other meshes this mesh's proxies reach. {@code hostname} is the one
 * proxies resolve ({@code internal.<gateway>.<mesh>.mesh} for a listener without a concrete one). Absent when both
 * are empty (mTLS off, or no cross-mesh listener anywhere). Stateless and thread-safe.
 */
final class CrossMeshInsight {
    static final String FIELD = "crossMesh";

    private final ResourceManager manager;
    private final MeshCertificateAuthorities cas;

    CrossMeshInsight(ResourceManager manager, MeshCertificateAuthorities cas) {
        this.manager = requireNonNull(manager, "manager");
        this.cas = requireNonNull(cas, "cas");
    }

    /** Sets {@value #FIELD} on {@code insight} when the mesh offers or reaches a cross-mesh listener. */
    ObjectNode writeTo(ObjectNode insight, Resource<MeshSpec> mesh) {
        if (!usable(mesh)) {
            return insight;
        }
        List<Resource<MeshSpec>> others = manager.list(ResourceTypes.MESH, ListQuery.all()).items().stream()
                .filter(other -> !other.name().equals(mesh.name()) && usable(other))
                .sorted(Comparator.comparing(Resource::name))
                .toList();
        ObjectNode crossMesh = insight.objectNode();
        ArrayNode offered = crossMesh.putArray("offered");
        for (Resource<MeshGatewaySpec> gateway : crossMeshGateways(mesh.name())) {
            for (MeshGatewaySpec.Listener listener : gateway.spec().conf().listeners()) {
                if (listener.crossMesh()) {
                    ArrayNode from = listener(offered.addObject(), gateway, listener).putArray("reachableFrom");
                    others.forEach(other -> from.add(other.name()));
                }
            }
        }
        ArrayNode reaches = crossMesh.putArray("reaches");
        for (Resource<MeshSpec> other : others) {
            for (Resource<MeshGatewaySpec> gateway : crossMeshGateways(other.name())) {
                for (MeshGatewaySpec.Listener listener : gateway.spec().conf().listeners()) {
                    if (listener.crossMesh()) {
                        ObjectNode entry = reaches.addObject().put("mesh", other.name());
                        listener(entry, gateway, listener);
                    }
                }
            }
        }
        if (!offered.isEmpty() || !reaches.isEmpty()) {
            insight.set(FIELD, crossMesh);
        }
        return insight;
    }

    private static ObjectNode listener(ObjectNode entry, Resource<MeshGatewaySpec> gateway,
                                       MeshGatewaySpec.Listener listener) {
        return entry.put("gateway", gateway.name())
                .put("hostname", listener.crossMeshHostname(gateway.name(), gateway.mesh()))
                .put("port", listener.port());
    }

    private List<Resource<MeshGatewaySpec>> crossMeshGateways(String mesh) {
        return manager.list(ResourceTypes.MESH_GATEWAY, ListQuery.inMesh(mesh)).items().stream()
                .filter(gateway -> gateway.spec().isCrossMesh())
                .sorted(Comparator.comparing(Resource::name))
                .toList();
    }

    /** Whether the mesh's mTLS is on with a CA that can be used. */
    private boolean usable(Resource<MeshSpec> mesh) {
        if (!mesh.spec().mtlsEnabled()) {
            return false;
        }
        try {
            return cas.enabled(mesh.name(), mesh.spec()).isPresent();
        } catch (CaUnavailableException e) {
            return false;
        }
    }
}
