package io.ursa.xds.context;

import static java.util.Objects.requireNonNull;

import io.ursa.api.resource.Resource;
import io.ursa.api.zoneegress.ZoneEgressSpec;
import java.util.List;

/**
 * A zone egress proxy and what it serves: every mesh whose {@code routing.zoneEgress} is on and whose mTLS works,
 * each with the identity the egress presents to that mesh's sidecars ({@code spiffe://<mesh>/zone-egress}).
 *
 * @param zoneEgress its ZoneEgress
 * @param metadata   what the proxy reported about itself (its admin port)
 * @param meshes     the meshes it serves, sorted by name
 */
public record ZoneEgressProxy(Resource<ZoneEgressSpec> zoneEgress, ProxyMetadata metadata, List<Served> meshes) {
    /** The {@code kuma.io/service} of a zone egress in the certificates it gets ({@code spiffe://<mesh>/zone-egress}). */
    public static final String SERVICE = "zone-egress";

    public ZoneEgressProxy {
        requireNonNull(zoneEgress, "zoneEgress");
        requireNonNull(metadata, "metadata");
        meshes = List.copyOf(requireNonNull(meshes, "meshes"));
    }

    /** One mesh the egress serves: its context and the egress's identity in it. */
    public record Served(MeshContext mesh, ProxyIdentity identity) {
        public Served {
            requireNonNull(mesh, "mesh");
            requireNonNull(identity, "identity");
            if (mesh.mtls().flatMap(MeshMtls::ca).isEmpty()) {
                throw new IllegalArgumentException("mesh " + mesh.name() + " has no usable mTLS (expected: a zone"
                        + " egress serves only meshes whose mTLS works)");
            }
        }
    }

    /** The ZoneEgress's name. */
    public String name() {
        return zoneEgress.name();
    }
}
