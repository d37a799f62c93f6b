package io.ursa.api.policy;

import io.ursa.api.validation.Violations;

/** Shape validation of VirtualOutbound. */
public final class VirtualOutboundValidator {
    private VirtualOutboundValidator() {
    }

    public static void validate(VirtualOutboundSpec spec, Violations violations) {
    }
}
