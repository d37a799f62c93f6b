package io.ursa.core.access;

import static java.util.Objects.requireNonNull;

import io.ursa.api.access.Access;
import io.ursa.api.access.AccessRoleSpec;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * One AccessRole rule, ready to match: it grants {@code access} on resources of one of its {@code types} (empty:
 * every type), named one of its {@code names} (empty: every name), in its {@code mesh} (empty: every mesh, and the
 * resources of no mesh).
 */
record Grant(Set<String> types, Set<String> names, String mesh, Set<Access> access) {
    Grant {
        types = Set.copyOf(types);
        names = Set.copyOf(names);
        requireNonNull(mesh, "mesh");
        access = access.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(access));
    }

    /** The rule as stored; access values it does not know (validation refuses them) grant nothing. */
    static Grant of(AccessRoleSpec.Rule rule) {
        Set<Access> access = EnumSet.noneOf(Access.class);
        rule.access().stream().map(Access::parse).flatMap(Optional::stream).forEach(access::add);
        return new Grant(Set.copyOf(rule.types()), Set.copyOf(rule.names()), rule.mesh(), access);
    }

    /**
     * Whether this grants {@code wanted} on {@code target}. A target with an empty name (a list) needs a rule
     * without names; one with an empty mesh (a resource of no mesh, or a list across meshes) a rule without mesh.
     */
    boolean grants(Access wanted, Target target) {
        return access.contains(wanted)
                && (types.isEmpty() || types.contains(target.type()))
                && (names.isEmpty() || (!target.name().isEmpty() && names.contains(target.name())))
                && (mesh.isEmpty() || mesh.equals(target.mesh()));
    }

    /** Whether this grants {@code wanted} in {@code targetMesh}, whatever the type and name (token generation). */
    boolean grantsInMesh(Access wanted, String targetMesh) {
        return access.contains(wanted) && (mesh.isEmpty() || mesh.equals(targetMesh));
    }
}
