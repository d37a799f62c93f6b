package io.ursa.core.access;

import static java.util.Objects.requireNonNull;

import io.ursa.api.access.AccessAuditSpec;
import io.ursa.api.access.AccessRoleBindingSpec;
import io.ursa.api.access.AccessRoleSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.manager.ResourceManager;
import io.ursa.core.store.ListQuery;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The AccessRoles, AccessRoleBindings and AccessAudits of the store at one moment, compiled for matching: the
 * grants bound to each user name and each group (a binding naming a role that does not exist grants nothing), and
 * the audit rules. Immutable.
 *
 * @param generation the change count of the access resources it was read at (see {@link Authorizer})
 */
record AccessSnapshot(long generation, Map<String, List<Grant>> byUser, Map<String, List<Grant>> byGroup,
                      List<AuditRule> auditRules) {
    AccessSnapshot {
        byUser = Map.copyOf(byUser);
        byGroup = Map.copyOf(byGroup);
        auditRules = List.copyOf(auditRules);
    }

    static AccessSnapshot read(ResourceManager manager, long generation) {
        requireNonNull(manager, "manager");
        Map<String, List<Grant>> roles = new HashMap<>();
        for (Resource<AccessRoleSpec> role : manager.list(ResourceTypes.ACCESS_ROLE, ListQuery.all()).items()) {
            roles.put(role.name(), role.spec().rules().stream().map(Grant::of).toList());
        }
        Map<String, List<Grant>> byUser = new HashMap<>();
        Map<String, List<Grant>> byGroup = new HashMap<>();
        for (Resource<AccessRoleBindingSpec> binding
                : manager.list(ResourceTypes.ACCESS_ROLE_BINDING, ListQuery.all()).items()) {
            List<Grant> grants = new ArrayList<>();
            for (String role : binding.spec().roles()) {
                grants.addAll(roles.getOrDefault(role, List.of()));
            }
            for (AccessRoleBindingSpec.Subject subject : binding.spec().subjects()) {
                Map<String, List<Grant>> bySubject = switch (subject.type()) {
                    case AccessRoleBindingSpec.USER -> byUser;
                    case AccessRoleBindingSpec.GROUP -> byGroup;
                    default -> null; // validation refuses other subject types
                };
                if (bySubject != null) {
                    bySubject.computeIfAbsent(subject.name(), k -> new ArrayList<>()).addAll(grants);
                }
            }
        }
        List<AuditRule> auditRules = new ArrayList<>();
        for (Resource<AccessAuditSpec> audit : manager.list(ResourceTypes.ACCESS_AUDIT, ListQuery.all()).items()) {
            audit.spec().rules().stream().map(AuditRule::of).forEach(auditRules::add);
        }
        byUser.replaceAll((k, v) -> List.copyOf(v));
        byGroup.replaceAll((k, v) -> List.copyOf(v));
        return new AccessSnapshot(generation, byUser, byGroup, auditRules);
    }

    /** Every grant the user holds: those bound to its name and to each of its groups. */
    List<Grant> grantsOf(User user) {
        List<Grant> grants = new ArrayList<>(byUser.getOrDefault(user.name(), List.of()));
        for (String group : user.groups()) {
            grants.addAll(byGroup.getOrDefault(group, List.of()));
        }
        return grants;
    }
}
