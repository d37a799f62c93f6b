package io.ursa.api.policy;

import static java.util.Objects.requireNonNull;

import io.ursa.api.mesh.MeshSpec;
import io.ursa.api.resource.Spec;
import java.util.ArrayList;
import java.util.List;

/**
 * What a write answers with when part of what it stores has no effect on traffic yet, for Kuma and Kong Mesh users
 * who expect it to: a policy type no data plane applies ({@link PolicySupport#warningForWrite}), or a Mesh field
 * that one kind of data plane does not act on ({@code routing.zoneEgress}, for proxyless gRPC). The REST API sends each as a {@code Warning: 299} header. Stateless.
 */
public final class WriteWarnings {
    private WriteWarnings() {
    }

    /** The warnings of a write of {@code spec} as the resource {@code name} of type {@code typeName}, in order. */
    public static List<String> of(String typeName, String name, Spec spec) {
        requireNonNull(typeName, "typeName");
        requireNonNull(name, "name");
        requireNonNull(spec, "spec");
        List<String> warnings = new ArrayList<>();
        PolicySupport.warningForWrite(typeName, name).ifPresent(warnings::add);
        if (spec instanceof MeshSpec mesh && mesh.zoneEgressEnabled()) {
            warnings.add("Mesh \"" + name + "\" sets routing.zoneEgress: its Envoy sidecars reach ExternalServices"
                    + " through the ZoneEgress proxies (none connected: unreachable), but proxyless gRPC applications"
                    + " still connect straight to the ExternalService's address; zone egress is not applied to them");
        }
        return warnings;
    }
}
