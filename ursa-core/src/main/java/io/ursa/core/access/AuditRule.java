package io.ursa.core.access;

import static java.util.Objects.requireNonNull;

import io.ursa.api.access.AccessAuditSpec;
import java.util.Set;

/**
 * One AccessAudit rule, ready to match: it selects actions whose access is one of {@code access} (or any, with
 * {@code accessAll}) on a type of {@code types} (empty: every type, and the actions on no resource type such as
 * token generation) in {@code mesh} (empty: every mesh).
 */
record AuditRule(Set<String> types, String mesh, Set<String> access, boolean accessAll) {
    AuditRule {
        types = Set.copyOf(types);
        requireNonNull(mesh, "mesh");
        access = Set.copyOf(access);
    }

    static AuditRule of(AccessAuditSpec.Rule rule) {
        return new AuditRule(Set.copyOf(rule.types()), rule.mesh(), Set.copyOf(rule.access()), rule.accessAll());
    }

    /** {@code type} is empty for an action on no resource type. */
    boolean selects(String wantedAccess, String type, String actionMesh) {
        return (accessAll || access.contains(wantedAccess))
                && (types.isEmpty() || types.contains(type))
                && (mesh.isEmpty() || mesh.equals(actionMesh));
    }
}
