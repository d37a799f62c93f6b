package io.ursa.xds.context;

import static java.util.Objects.requireNonNull;

import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.mesh.MeshSpec;
import java.util.Optional;

/**
 * One proxy: its Dataplane, the context of its mesh, what the proxy reported about itself, and its identity
 * certificate when its mesh's mTLS is on (empty otherwise, and when it has not been issued).
 */
public record ProxyContext(io.ursa.api.resource.Resource<DataplaneSpec> dataplane, MeshContext mesh,
        ProxyMetadata metadata, Optional<ProxyIdentity> identity) {
    public ProxyContext {
        requireNonNull(dataplane, "dataplane");
        requireNonNull(mesh, "mesh");
        requireNonNull(metadata, "metadata");
        requireNonNull(identity, "identity");
        if (!dataplane.mesh().equals(mesh.name())) {
            throw new IllegalArgumentException("Dataplane " + dataplane.name() + " is in mesh " + dataplane.mesh()
                    + " (expected: " + mesh.name() + ")");
        }
    }

    /** A proxy without an identity certificate. */
    public ProxyContext(io.ursa.api.resource.Resource<DataplaneSpec> dataplane, MeshContext mesh,
                        ProxyMetadata metadata) {
        this(dataplane, mesh, metadata, Optional.empty());
    }

    /** An Envoy sidecar that reported no admin port. */
    public ProxyContext(io.ursa.api.resource.Resource<DataplaneSpec> dataplane, MeshContext mesh) {
        this(dataplane, mesh, ProxyMetadata.envoy());
    }

    /** The same proxy with {@code metadata}. */
    public ProxyContext withMetadata(ProxyMetadata metadata) {
        return new ProxyContext(dataplane, mesh, metadata, identity);
    }

    /** The same proxy with {@code identity}. */
    public ProxyContext withIdentity(ProxyIdentity identity) {
        return new ProxyContext(dataplane, mesh, metadata, Optional.of(identity));
    }

    /** The mesh's mTLS when it is on. */
    public Optional<MeshMtls> mtls() {
        return mesh.mtls();
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
