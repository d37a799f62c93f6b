package io.ursa.api.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;
import org.junit.jupiter.api.Test;

/** Every policy type says what the data planes do with it; a write of one nobody applies gets a warning. */
class PolicySupportTest {
    @Test
    void everyPolicyTypeSaysWhatItDoesAndWhyWhenNotEverything() {
        for (ResourceType<?> type : ResourceTypes.standard().policies()) {
            PolicySupport.Support support = PolicySupport.of(type.name()).orElseThrow(() ->
                    new AssertionError(type.name() + " has no entry in PolicySupport"));
            if (support.envoy() != PolicySupport.Level.APPLIED
                    || support.proxylessGrpc() != PolicySupport.Level.APPLIED) {
                assertThat(support.note()).as(type.name()).isNotBlank();
            }
        }
        assertThat(PolicySupport.of("Mesh")).isEmpty();
    }

    @Test
    void warnsOfAWriteOnlyWhenNoDataPlaneAppliesTheType() {
        for (ResourceType<?> type : ResourceTypes.standard().policies()) {
            PolicySupport.Support support = PolicySupport.of(type.name()).orElseThrow();
            if (support.appliedNowhere()) {
                assertThat(PolicySupport.warningForWrite(type.name(), "custom")).as(type.name()).contains(type.name()
                        + " \"custom\" is stored but not applied to Envoy sidecars or proxyless gRPC yet: it has no "
                        + "effect on traffic");
            } else {
                assertThat(PolicySupport.warningForWrite(type.name(), "custom")).as(type.name()).isEmpty();
            }
        }
        assertThat(PolicySupport.warningForWrite("ProxyTemplate", "custom")).as("applied to Envoy sidecars").isEmpty();
        assertThat(PolicySupport.warningForWrite("Mesh", "default")).isEmpty();
    }
}
