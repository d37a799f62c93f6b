package io.ursa.api.access;

import io.ursa.api.resource.Spec;
import io.ursa.api.spec.Lists;
import java.util.List;

/**
 * Spec of an AccessAudit (Kong Mesh, global): which actions are written to the audit log. A rule matches an action
 * on a resource of one of its {@code types} (none: every type) in its {@code mesh} (empty: every mesh; for a Mesh,
 * its own name; for a dataplane token, the token's mesh) whose access is in {@code access}, or any access with
 * {@code accessAll}.
 */
public record AccessAuditSpec(List<Rule> rules) implements Spec {
    public AccessAuditSpec {
        rules = Lists.copyOf(rules);
    }

    public record Rule(List<String> types, String mesh, List<String> access, boolean accessAll) {
        public Rule {
            types = Lists.copyOf(types);
            mesh = mesh == null ? "" : mesh;
            access = Lists.copyOf(access);
        }
    }
}
