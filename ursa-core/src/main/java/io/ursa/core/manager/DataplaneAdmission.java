package io.ursa.core.manager;

import static java.util.Objects.requireNonNull;

import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.mesh.Constraints;
import io.ursa.api.mesh.MeshSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.validation.Path;
import io.ursa.api.validation.Violations;
import java.util.List;
import java.util.Map;

/**
 * A mesh's {@code constraints.dataplaneProxy} (spec §12.3), checked when a Dataplane is created or updated: each
 * of its tag sets (one per inbound, or the gateway's) must match at least one requirement, when there are any, and
 * no restriction. Restrictions win over requirements. Unlike Kuma 2.0, a refusal is a validation error (400) that
 * names the inbound and the rule, not a 500.
 */
final class DataplaneAdmission implements TypeHooks<DataplaneSpec> {
    private final ResourceManager manager;

    DataplaneAdmission(ResourceManager manager) {
        this.manager = requireNonNull(manager, "manager");
    }

    @Override
    public void beforeCreate(Resource<DataplaneSpec> resource, Violations violations) {
        check(resource, violations);
    }

    @Override
    public void beforeUpdate(Resource<DataplaneSpec> current, Resource<DataplaneSpec> updated,
                             Violations violations) {
        check(updated, violations);
    }

    private void check(Resource<DataplaneSpec> dataplane, Violations violations) {
        Constraints.DataplaneProxy rules = manager.get(ResourceTypes.MESH, "", dataplane.mesh())
                .map(Resource::spec)
                .map(MeshSpec::constraints)
                .map(Constraints::dataplaneProxy)
                .orElse(null);
        if (rules == null) {
            return;
        }
        List<Map<String, String>> tagSets = dataplane.spec().tagSets();
        int inbounds = dataplane.spec().networking().inbound().size();
        for (int i = 0; i < tagSets.size(); i++) {
            Map<String, String> tags = tagSets.get(i);
            Path field = i < inbounds ? Path.of("networking.inbound").index(i).field("tags")
                    : Path.of("networking.gateway.tags");
            int restriction = firstMatch(rules.restrictions(), tags);
            if (restriction >= 0) {
                violations.add(field, "dataplane cannot join mesh \"" + dataplane.mesh() + "\": tags " + tags
                        + " match constraints.dataplaneProxy.restrictions[" + restriction + "]");
            } else if (!rules.requirements().isEmpty() && firstMatch(rules.requirements(), tags) < 0) {
                violations.add(field, "dataplane cannot join mesh \"" + dataplane.mesh() + "\": tags " + tags
                        + " match none of constraints.dataplaneProxy.requirements");
            }
        }
    }

    private static int firstMatch(List<Constraints.Rules> rules, Map<String, String> tags) {
        for (int i = 0; i < rules.size(); i++) {
            if (matches(rules.get(i).tags(), tags)) {
                return i;
            }
        }
        return -1;
    }

    /** Every rule tag is present with an equal value; a rule value of {@code *} only needs a non-empty value. */
    private static boolean matches(Map<String, String> rule, Map<String, String> tags) {
        for (Map.Entry<String, String> e : rule.entrySet()) {
            String actual = tags.get(e.getKey());
            if (actual == null || actual.isEmpty()) {
                return false;
            }
            if (!e.getValue().equals("*") && !e.getValue().equals(actual)) {
                return false;
            }
        }
        return true;
    }
}
