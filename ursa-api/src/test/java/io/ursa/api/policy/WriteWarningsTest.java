package io.ursa.api.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.ursa.api.mesh.MeshSpec;
import io.ursa.api.mesh.Routing;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;
import org.junit.jupiter.api.Test;

/** A write is warned about exactly when part of what it stores does nothing yet. */
class WriteWarningsTest {
    @Test
    void aMeshWithZoneEgressIsWarnedThatProxylessGrpcStillGoesDirect() {
        MeshSpec zoneEgress = new MeshSpec(null, null, null, null, null, new Routing(false, true), null, null);

        assertThat(WriteWarnings.of("Mesh", "default", zoneEgress)).containsExactly("Mesh \"default\" sets"
                + " routing.zoneEgress: its Envoy sidecars reach ExternalServices through the ZoneEgress proxies (none"
                + " connected: unreachable), but proxyless gRPC applications still connect straight to the"
                + " ExternalService's address; zone egress is not applied to them");
        assertThat(WriteWarnings.of("Mesh", "default", MeshSpec.empty())).isEmpty();
        assertThat(WriteWarnings.of("Mesh", "default",
                new MeshSpec(null, null, null, null, null, new Routing(true, false), null, null))).isEmpty();
    }

    @Test
    void aPolicyWriteIsWarnedExactlyAsPolicySupportSays() {
        for (ResourceType<?> type : ResourceTypes.standard().policies()) {
            assertThat(WriteWarnings.of(type.name(), "custom", MeshSpec.empty())).as(type.name())
                    .isEqualTo(PolicySupport.warningForWrite(type.name(), "custom").stream().toList());
        }
    }
}
