package io.ursa.xds.context;

import static java.util.Objects.requireNonNull;

import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.mesh.MeshSpec;

/** One proxy: its Dataplane and the context of its mesh. */
public record ProxyContext(io.ursa.api.resource.Resource<DataplaneSpec> dataplane, MeshContext mesh) {
    public ProxyContext {
        requireNonNull(dataplane, "dataplane");
        requireNonNull(mesh, "mesh");
        if (!dataplane.mesh().equals(mesh.name())) {
            throw new IllegalArgumentException("Dataplane " + dataplane.name() + " is in mesh " + dataplane.mesh()
                    + " (expected: " + mesh.name() + ")");
        }
    }

    /** The Dataplane's spec. */
    public DataplaneSpec spec() {
        return dataplane.spec();
    }

    /** The Mesh's spec. */
    public MeshSpec meshSpec() {
        return mesh.mesh().spec();
    }
}
