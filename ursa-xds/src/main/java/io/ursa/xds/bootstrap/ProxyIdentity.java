package io.ursa.xds.bootstrap;

import static java.util.Objects.requireNonNull;

import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.xds.names.EnvoyNames;
import java.util.List;

/** How a proxy names itself to the control plane: the node id and the node cluster (envoy-config §1.2). */
final class ProxyIdentity {
    /** The node cluster of a proxy that serves no service. */
    static final String UNKNOWN_SERVICE = "unknown";

    private ProxyIdentity() {
    }

    /** {@code <mesh>.<name>}; the control plane splits on the first dot, so the mesh must have none. */
    static String nodeId(String mesh, String name) {
        return EnvoyNames.nodeId(mesh, name);
    }

    /**
     * The identifying service: the alphabetically first {@code kuma.io/service} over the inbound and gateway tags,
     * {@value #UNKNOWN_SERVICE} when there is none.
     */
    static String service(DataplaneSpec dataplane) {
        List<String> services = requireNonNull(dataplane, "dataplane").services();
        return services.isEmpty() ? UNKNOWN_SERVICE : services.get(0);
    }
}
