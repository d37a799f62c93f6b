package io.ursa.core.manager;

import io.ursa.api.access.Access;
import io.ursa.api.access.AccessAuditSpec;
import io.ursa.api.access.AccessRoleBindingSpec;
import io.ursa.api.access.AccessRoleSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The access resources a control plane starts with (Kong Mesh's defaults): the AccessRole {@value #ADMIN_ROLE}
 * that may do everything, the AccessRoleBinding {@value #DEFAULT_BINDING} that gives it to the group
 * {@value #ADMIN_GROUP}, and the AccessAudit {@value #DEFAULT_AUDIT} that audits every action. Each is created
 * when absent, at every start, so an edit is kept and a deletion is undone by a restart (the way back in after
 * the admin's own rights were removed by mistake).
 */
public final class DefaultAccess {
    public static final String ADMIN_ROLE = "admin";
    public static final String DEFAULT_BINDING = "default";
    public static final String DEFAULT_AUDIT = "default";
    /** The group of the admin user: loopback callers and the bootstrap admin token. */
    public static final String ADMIN_GROUP = "mesh-system:admin";

    private DefaultAccess() {
    }

    /**
     * The admin role's only rule's access as Ursa created it before GENERATE_ZONE_TOKEN existed. A role still
     * exactly like that was never edited, and gets the new access at the next start; an edited one is kept.
     */
    static final List<String> BEFORE_ZONE_TOKENS = List.of("CREATE", "UPDATE", "DELETE", "GENERATE_DATAPLANE_TOKEN",
            "GENERATE_USER_TOKEN");

    /**
     * Creates whichever of the three is missing, and gives an admin role that is still exactly as an older Ursa
     * created it the access values added since; true if it created or changed any.
     */
    public static boolean ensure(ResourceManager manager) {
        List<String> everything = Arrays.stream(Access.values()).map(Enum::name).toList();
        boolean created = upgradeUneditedAdminRole(manager, everything);
        created |= manager.createIfAbsent(ResourceTypes.ACCESS_ROLE, "", ADMIN_ROLE, new AccessRoleSpec(
                List.of(new AccessRoleSpec.Rule(List.of(), List.of(), "", everything, null))));
        created |= manager.createIfAbsent(ResourceTypes.ACCESS_ROLE_BINDING, "", DEFAULT_BINDING,
                new AccessRoleBindingSpec(List.of(new AccessRoleBindingSpec.Subject(AccessRoleBindingSpec.GROUP,
                        ADMIN_GROUP)), List.of(ADMIN_ROLE)));
        created |= manager.createIfAbsent(ResourceTypes.ACCESS_AUDIT, "", DEFAULT_AUDIT, new AccessAuditSpec(
                List.of(new AccessAuditSpec.Rule(List.of(), "", List.of(), true))));
        return created;
    }

    private static boolean upgradeUneditedAdminRole(ResourceManager manager, List<String> everything) {
        Optional<Resource<AccessRoleSpec>> admin = manager.get(ResourceTypes.ACCESS_ROLE, "", ADMIN_ROLE);
        if (admin.isEmpty() || admin.get().spec().rules().size() != 1) {
            return false;
        }
        AccessRoleSpec.Rule rule = admin.get().spec().rules().get(0);
        if (!rule.types().isEmpty() || !rule.names().isEmpty() || !rule.mesh().isEmpty() || rule.when() != null
                || !rule.access().equals(BEFORE_ZONE_TOKENS)) {
            return false;
        }
        manager.upsert(ResourceTypes.ACCESS_ROLE, "", ADMIN_ROLE, new AccessRoleSpec(List.of(
                new AccessRoleSpec.Rule(List.of(), List.of(), "", everything, null))),
                OptionalLong.of(admin.get().meta().version()));
        return true;
    }
}
