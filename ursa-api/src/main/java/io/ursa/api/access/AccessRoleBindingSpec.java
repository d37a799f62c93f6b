package io.ursa.api.access;

import io.ursa.api.resource.Spec;
import io.ursa.api.spec.Lists;
import java.util.List;

/**
 * Spec of an AccessRoleBinding (Kong Mesh RBAC, global): gives the AccessRoles named in {@code roles} to every
 * subject, a user (by the name in its token) or a group.
 */
public record AccessRoleBindingSpec(List<Subject> subjects, List<String> roles) implements Spec {
    public static final String USER = "User";
    public static final String GROUP = "Group";

    public AccessRoleBindingSpec {
        subjects = Lists.copyOf(subjects);
        roles = Lists.copyOf(roles);
    }

    /** {@code type} is {@value #USER} or {@value #GROUP}. */
    public record Subject(String type, String name) {
        public Subject {
            type = type == null ? "" : type;
            name = name == null ? "" : name;
        }
    }
}
