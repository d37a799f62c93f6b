package io.ursa.api.zoneegress;

import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.resource.Spec;
import io.ursa.api.spec.ProtoFields;

/**
 * Spec of a ZoneEgress ({@code api/mesh/v1alpha1/zoneegress.proto}): a proxy outside every mesh through which the
 * sidecars of meshes with {@code routing.zoneEgress: true} reach their ExternalServices. One egress serves every
 * such mesh; it tells them apart by the SNI of their mesh-mTLS connections ({@code <service>{mesh=<mesh>}}).
 *
 * @param zone       the zone the egress serves (set by a global control plane in Kuma; empty here)
 * @param networking where it listens; required
 */
public record ZoneEgressSpec(String zone, Networking networking) implements Spec {
    public ZoneEgressSpec {
        zone = ProtoFields.text(zone);
    }

    /**
     * @param address the address of its listener, which sidecars connect to
     * @param port    the port of its listener
     * @param admin   Envoy's admin listener
     */
    public record Networking(String address, int port, DataplaneSpec.Admin admin) {
        public Networking {
            address = ProtoFields.text(address);
            port = ProtoFields.unsigned("port", port);
        }

        /** The admin port, 0 when not set. */
        public int adminPort() {
            return admin == null ? 0 : admin.port();
        }
    }
}
