package io.ursa.api.mesh;

import io.ursa.api.spec.SelectorValidation;
import io.ursa.api.validation.Path;
import io.ursa.api.validation.Violations;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Kuma's Mesh spec validation ({@code MeshResource.Validate()}, 2.0): stateless, collects every violation, and
 * appends them in Kuma's fixed order (mtls, logging, tracing, metrics, constraints, zone egress) with Kuma's
 * field paths and messages. An absent section adds nothing. CA backend {@code type} and {@code conf} are checked
 * later, by the CA plugins (ursa-ca).
 */
public final class MeshValidator {
    private static final Set<SelectorValidation.Option> CONSTRAINT_TAG_RULES =
            EnumSet.of(SelectorValidation.Option.REQUIRE_AT_LEAST_ONE_TAG);

    private MeshValidator() {
    }

    public static void validate(MeshSpec spec, Violations violations) {
        MtlsValidation.validate(spec.mtls(), Path.of("mtls"), violations);
        LoggingValidation.validate(spec.logging(), Path.of("logging"), violations);
        TracingValidation.validate(spec.tracing(), Path.of("tracing"), violations);
        MetricsValidation.validate(spec.metrics(), Path.of("metrics"), violations);
        validateConstraints(spec.constraints(), violations);
        validateZoneEgress(spec, violations);
    }

    private static void validateConstraints(Constraints constraints, Violations violations) {
        if (constraints == null || constraints.dataplaneProxy() == null) {
            return;
        }
        Path proxy = Path.of("constraints.dataplaneProxy");
        validateRules(constraints.dataplaneProxy().requirements(), proxy.field("requirements"), violations);
        validateRules(constraints.dataplaneProxy().restrictions(), proxy.field("restrictions"), violations);
    }

    private static void validateRules(List<Constraints.Rules> rules, Path path, Violations violations) {
        for (int i = 0; i < rules.size(); i++) {
            SelectorValidation.validate(path.index(i).field("tags"), rules.get(i).tags(), CONSTRAINT_TAG_RULES,
                    violations);
        }
    }

    /** ZoneEgress needs mTLS: with {@code routing.zoneEgress} on, {@code mtls.enabledBackend} must be set. */
    private static void validateZoneEgress(MeshSpec spec, Violations violations) {
        if (spec.zoneEgressEnabled() && !spec.mtlsEnabled()) {
            violations.add(Path.of("mtls"), "has to be set when zoneEgress enabled");
        }
    }
}
