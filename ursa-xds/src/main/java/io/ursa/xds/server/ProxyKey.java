package io.ursa.xds.server;

import static java.util.Objects.requireNonNull;

import io.ursa.xds.names.EnvoyNames;

/**
 * A proxy's identity: the mesh and name of its Dataplane, spelled {@code <mesh>.<name>} as an xDS node id. A zone
 * proxy (a ZoneEgress) belongs to no mesh: its mesh is empty and its node id {@code .<name>}, as in Kuma.
 */
public record ProxyKey(String mesh, String name) {
    public ProxyKey {
        requireNonNull(mesh, "mesh");
        requireNonNull(name, "name");
    }

    /**
     * Splits a node id on its first dot (mesh names have none, Dataplane names may).
     *
     * @throws IllegalArgumentException naming the id and the expected form
     */
    public static ProxyKey parse(String nodeId) {
        requireNonNull(nodeId, "nodeId");
        int dot = nodeId.indexOf('.');
        if (dot < 0 || dot == nodeId.length() - 1) {
            throw new IllegalArgumentException("invalid node id: \"" + nodeId
                    + "\" (expected: <mesh>.<dataplane name>, e.g. default.backend-1, or .<zone egress name>)");
        }
        return new ProxyKey(nodeId.substring(0, dot), nodeId.substring(dot + 1));
    }

    /** Whether this is a zone proxy (a ZoneEgress), which belongs to no mesh. */
    public boolean isZoneProxy() {
        return mesh.isEmpty();
    }

    public String nodeId() {
        return EnvoyNames.nodeId(mesh, name);
    }

    @Override
    public String toString() {
        return isZoneProxy() ? "zone egress " + name : mesh + "/" + name;
    }
}
