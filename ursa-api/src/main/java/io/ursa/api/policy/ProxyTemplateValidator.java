package io.ursa.api.policy;

import io.ursa.api.validation.Violations;

/** Shape validation of ProxyTemplate. */
public final class ProxyTemplateValidator {
    private ProxyTemplateValidator() {
    }

    public static void validate(ProxyTemplateSpec spec, Violations violations) {
    }
}
