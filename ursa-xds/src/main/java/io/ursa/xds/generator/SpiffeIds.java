package io.ursa.xds.generator;

import static java.util.Objects.requireNonNull;

/**
 * The SPIFFE IDs in proxy certificates (mesh-spec §13.2): {@code spiffe://<mesh>/<service>}, the mesh being the
 * trust domain. Spelled once here for the TLS contexts and the RBAC rules.
 */
final class SpiffeIds {
    private SpiffeIds() {
    }

    /** {@code spiffe://<mesh>/<service>}: what a proxy of {@code service} in {@code mesh} presents. */
    static String of(String mesh, String service) {
        return meshPrefix(mesh) + requireNonNull(service, "service");
    }

    /** {@code spiffe://<mesh>/}: what every SPIFFE ID of {@code mesh} starts with. */
    static String meshPrefix(String mesh) {
        return "spiffe://" + requireNonNull(mesh, "mesh") + "/";
    }
}
