package io.ursa.api.access;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.ursa.api.resource.Spec;
import io.ursa.api.spec.Lists;
import java.util.List;

/**
 * Spec of an AccessRole (Kong Mesh RBAC, global): what a role may do. Each rule grants its {@code access} on the
 * resources it matches: of one of its {@code types} (none: every type), named one of its {@code names} (none: any
 * name), in its {@code mesh} (empty: every mesh; for a Mesh, the Mesh's own name). A user holds the rules of every
 * role bound to it or to one of its groups by an AccessRoleBinding.
 */
public record AccessRoleSpec(List<Rule> rules) implements Spec {
    public AccessRoleSpec {
        rules = Lists.copyOf(rules);
    }

    /**
     * One grant. {@code when} is Kong Mesh's list of qualifiers, which Ursa does not evaluate; it is kept only so
     * that validation can refuse a role that would grant more than it says.
     */
    public record Rule(List<String> types, List<String> names, String mesh, List<String> access,
                       @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode when) {
        public Rule {
            types = Lists.copyOf(types);
            names = Lists.copyOf(names);
            mesh = mesh == null ? "" : mesh;
            access = Lists.copyOf(access);
        }
    }
}
