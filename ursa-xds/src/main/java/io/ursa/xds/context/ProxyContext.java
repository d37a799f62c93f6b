package io.ursa.xds.context;

import static java.util.Objects.requireNonNull;

import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.mesh.MeshSpec;

/** One proxy: its Dataplane, the context of its mesh, and what the proxy reported about itself. */
public record ProxyContext(io.ursa.api.resource.Resource<DataplaneSpec> dataplane, MeshContext mesh,
        ProxyMetadata metadata) {
    public ProxyContext {
        requireNonNull(dataplane, "dataplane");
        requireNonNull(mesh, "mesh");
        requireNonNull(metadata, "metadata");
        if (!dataplane.mesh().equals(mesh.name())) {
            throw new IllegalArgumentException("Dataplane " + dataplane.name() + " is in mesh " + dataplane.mesh()
                    + " (expected: " + mesh.name() + ")");
        }
    }

    /** An Envoy sidecar that reported no admin port. */
    public ProxyContext(io.ursa.api.resource.Resource<DataplaneSpec> dataplane, MeshContext mesh) {
        this(dataplane, mesh, ProxyMetadata.envoy());
    }

    /** The same proxy with {@code metadata}. */
    public ProxyContext withMetadata(ProxyMetadata metadata) {
        return new ProxyContext(dataplane, mesh, metadata);
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
