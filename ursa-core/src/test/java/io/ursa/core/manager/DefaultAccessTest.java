package io.ursa.core.manager;

import static org.assertj.core.api.Assertions.assertThat;

import io.ursa.api.access.AccessRoleBindingSpec;
import io.ursa.api.access.AccessRoleSpec;
import io.ursa.api.resource.ResourceTypes;
import java.util.List;
import org.junit.jupiter.api.Test;

class DefaultAccessTest {
    private final ManagerFixture f = new ManagerFixture(List.of());

    @Test
    void aFreshControlPlaneGivesTheAdminGroupEveryAccessAndAuditsEverything() {
        assertThat(DefaultAccess.ensure(f.manager)).isTrue();

        AccessRoleSpec admin = f.manager.get(ResourceTypes.ACCESS_ROLE, "", "admin").orElseThrow().spec();
        assertThat(admin.rules()).singleElement().satisfies(rule -> {
            assertThat(rule.types()).isEmpty();
            assertThat(rule.mesh()).isEmpty();
            assertThat(rule.access()).containsExactly("CREATE", "UPDATE", "DELETE", "GENERATE_DATAPLANE_TOKEN",
                    "GENERATE_USER_TOKEN", "GENERATE_ZONE_TOKEN");
        });
        AccessRoleBindingSpec binding = f.manager.get(ResourceTypes.ACCESS_ROLE_BINDING, "", "default")
                .orElseThrow().spec();
        assertThat(binding.subjects()).containsExactly(new AccessRoleBindingSpec.Subject("Group",
                "mesh-system:admin"));
        assertThat(binding.roles()).containsExactly("admin");
        assertThat(f.manager.get(ResourceTypes.ACCESS_AUDIT, "", "default").orElseThrow().spec().rules())
                .singleElement().satisfies(rule -> assertThat(rule.accessAll()).isTrue());
    }

    @Test
    void keepsAnEditAndRecreatesOnlyWhatIsMissing() {
        DefaultAccess.ensure(f.manager);
        f.apply("""
                type: AccessRoleBinding
                name: default
                subjects:
                - type: Group
                  name: ops
                roles: [admin]
                """);
        f.manager.delete(ResourceTypes.ACCESS_AUDIT, "", "default");

        assertThat(DefaultAccess.ensure(f.manager)).isTrue();

        assertThat(f.manager.get(ResourceTypes.ACCESS_ROLE_BINDING, "", "default").orElseThrow().spec().subjects())
                .extracting(AccessRoleBindingSpec.Subject::name).containsExactly("ops");
        assertThat(f.names(ResourceTypes.ACCESS_AUDIT, "")).containsExactly("default");
        assertThat(DefaultAccess.ensure(f.manager)).isFalse();
    }

    @Test
    void anAdminRoleAsAnOlderUrsaCreatedItGetsZoneTokensAndAnEditedOneIsKept() {
        f.apply("""
                type: AccessRole
                name: admin
                rules:
                - access: [CREATE, UPDATE, DELETE, GENERATE_DATAPLANE_TOKEN, GENERATE_USER_TOKEN]
                """);

        assertThat(DefaultAccess.ensure(f.manager)).isTrue();

        assertThat(f.manager.get(ResourceTypes.ACCESS_ROLE, "", "admin").orElseThrow().spec().rules())
                .singleElement().satisfies(rule -> assertThat(rule.access()).contains("GENERATE_ZONE_TOKEN"));

        f.apply("""
                type: AccessRole
                name: admin
                rules:
                - access: [CREATE, UPDATE, DELETE, GENERATE_DATAPLANE_TOKEN]
                """);
        assertThat(DefaultAccess.ensure(f.manager)).isFalse();
        assertThat(f.manager.get(ResourceTypes.ACCESS_ROLE, "", "admin").orElseThrow().spec().rules())
                .singleElement().satisfies(rule -> assertThat(rule.access()).doesNotContain("GENERATE_ZONE_TOKEN"));
    }
}
