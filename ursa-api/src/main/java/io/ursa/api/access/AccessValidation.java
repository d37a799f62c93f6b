package io.ursa.api.access;

import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.validation.NameRules;
import io.ursa.api.validation.Path;
import io.ursa.api.validation.Violations;
import java.util.List;
import java.util.Optional;

/**
 * Shape validation of AccessRole, AccessRoleBinding and AccessAudit. Every name a rule holds is checked against
 * what exists (resource types, access values, subject types), so a typo is an error rather than a rule that
 * silently matches nothing or, worse, more than intended.
 */
public final class AccessValidation {
    private static final String AT_LEAST_ONE = "must have at least one element";

    private AccessValidation() {
    }

    public static void validateRole(AccessRoleSpec spec, Violations violations) {
        if (spec.rules().isEmpty()) {
            violations.add(Path.of("rules"), AT_LEAST_ONE);
        }
        for (int i = 0; i < spec.rules().size(); i++) {
            AccessRoleSpec.Rule rule = spec.rules().get(i);
            Path path = Path.of("rules").index(i);
            types(path.field("types"), rule.types(), violations);
            for (int j = 0; j < rule.names().size(); j++) {
                if (rule.names().get(j).isEmpty()) {
                    violations.add(path.field("names").index(j), "cannot be empty");
                }
            }
            mesh(path.field("mesh"), rule.mesh(), rule.types(), violations);
            access(path.field("access"), rule.access(), violations);
            if (rule.when() != null && !rule.when().isNull()) {
                violations.add(path.field("when"), "is not supported by Ursa: its qualifiers would be ignored and"
                        + " the rule would grant more than it says; narrow the rule with types, names and mesh");
            }
        }
    }

    public static void validateRoleBinding(AccessRoleBindingSpec spec, Violations violations) {
        if (spec.subjects().isEmpty()) {
            violations.add(Path.of("subjects"), AT_LEAST_ONE);
        }
        for (int i = 0; i < spec.subjects().size(); i++) {
            AccessRoleBindingSpec.Subject subject = spec.subjects().get(i);
            Path path = Path.of("subjects").index(i);
            if (!List.of(AccessRoleBindingSpec.USER, AccessRoleBindingSpec.GROUP).contains(subject.type())) {
                violations.add(path.field("type"), subject.type().isEmpty() ? "cannot be empty"
                        : "unknown subject type \"" + subject.type() + "\" (expected one of: "
                                + AccessRoleBindingSpec.USER + ", " + AccessRoleBindingSpec.GROUP + ")");
            }
            if (subject.name().isEmpty()) {
                violations.add(path.field("name"), "cannot be empty");
            }
        }
        if (spec.roles().isEmpty()) {
            violations.add(Path.of("roles"), AT_LEAST_ONE);
        }
        for (int i = 0; i < spec.roles().size(); i++) {
            NameRules.validateReference(Path.of("roles").index(i), spec.roles().get(i), violations);
        }
    }

    public static void validateAudit(AccessAuditSpec spec, Violations violations) {
        if (spec.rules().isEmpty()) {
            violations.add(Path.of("rules"), AT_LEAST_ONE);
        }
        for (int i = 0; i < spec.rules().size(); i++) {
            AccessAuditSpec.Rule rule = spec.rules().get(i);
            Path path = Path.of("rules").index(i);
            types(path.field("types"), rule.types(), violations);
            mesh(path.field("mesh"), rule.mesh(), rule.types(), violations);
            if (rule.accessAll() && !rule.access().isEmpty()) {
                violations.add(path.field("access"), "must be empty when accessAll is true");
            } else if (!rule.accessAll()) {
                if (rule.access().isEmpty()) {
                    violations.add(path.field("access"), AT_LEAST_ONE + " (or set accessAll: true)");
                }
                access(path.field("access"), rule.access(), violations);
            }
        }
    }

    private static void types(Path path, List<String> types, Violations violations) {
        for (int j = 0; j < types.size(); j++) {
            String type = types.get(j);
            if (ResourceTypes.standard().byName(type).isEmpty()) {
                violations.add(path.index(j), type.isEmpty() ? "cannot be empty" : "unknown type \"" + type
                        + "\" (expected one of: " + String.join(", ", ResourceTypes.standard().names()) + ")");
            }
        }
    }

    /** A mesh must be a valid mesh name, and only where a listed type can be in a mesh. */
    private static void mesh(Path path, String mesh, List<String> types, Violations violations) {
        if (mesh.isEmpty()) {
            return;
        }
        NameRules.validateReference(path, mesh, violations);
        List<ResourceType<?>> known = types.stream().map(t -> ResourceTypes.standard().byName(t))
                .flatMap(Optional::stream).toList();
        boolean meshless = !known.isEmpty() && known.size() == types.size()
                && known.stream().noneMatch(t -> t.isMeshScoped() || t == ResourceTypes.MESH);
        if (meshless) {
            violations.add(path, "must be empty: the listed types belong to no mesh");
        }
    }

    private static void access(Path path, List<String> access, Violations violations) {
        for (int j = 0; j < access.size(); j++) {
            if (Access.parse(access.get(j)).isEmpty()) {
                violations.add(path.index(j), Access.refusal(access.get(j)));
            }
        }
    }
}
