package io.ursa.core.manager;

import io.ursa.api.access.Access;
import io.ursa.api.access.AccessAuditSpec;
import io.ursa.api.access.AccessRoleBindingSpec;
import io.ursa.api.access.AccessRoleSpec;
import io.ursa.api.resource.ResourceTypes;
import java.util.Arrays;
import java.util.List;

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

    /** Creates whichever of the three is missing; true if it created any. */
    public static boolean ensure(ResourceManager manager) {
        List<String> everything = Arrays.stream(Access.values()).map(Enum::name).toList();
        boolean created = manager.createIfAbsent(ResourceTypes.ACCESS_ROLE, "", ADMIN_ROLE, new AccessRoleSpec(
                List.of(new AccessRoleSpec.Rule(List.of(), List.of(), "", everything, null))));
        created |= manager.createIfAbsent(ResourceTypes.ACCESS_ROLE_BINDING, "", DEFAULT_BINDING,
                new AccessRoleBindingSpec(List.of(new AccessRoleBindingSpec.Subject(AccessRoleBindingSpec.GROUP,
                        ADMIN_GROUP)), List.of(ADMIN_ROLE)));
        created |= manager.createIfAbsent(ResourceTypes.ACCESS_AUDIT, "", DEFAULT_AUDIT, new AccessAuditSpec(
                List.of(new AccessAuditSpec.Rule(List.of(), "", List.of(), true))));
        return created;
    }
}
