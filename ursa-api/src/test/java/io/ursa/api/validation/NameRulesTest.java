package io.ursa.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NameRulesTest {
    private static final String INVALID =
            "invalid characters. Valid characters are numbers, lowercase latin letters and '-', '_' symbols.";

    private static List<Violation> check(ResourceType<?> type, String mesh, String name) {
        Violations v = new Violations();
        NameRules.validate(type, mesh, name, v);
        return v.list();
    }

    @ParameterizedTest
    @CsvSource({"demo", "my-mesh_1", "0"})
    void acceptsLowercaseDigitsDashAndUnderscore(String name) {
        assertThat(check(ResourceTypes.MESH, "", name)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"Demo", "my.mesh", "a b", "ünï", "a/b"})
    void refusesOtherCharacters(String name) {
        assertThat(check(ResourceTypes.MESH, "", name)).containsExactly(new Violation("name", INVALID));
    }

    @org.junit.jupiter.api.Test
    void refusesEmptyNameAndMeshTogether() {
        assertThat(check(ResourceTypes.TRAFFIC_ROUTE, "", "")).containsExactly(
                new Violation("name", "cannot be empty"), new Violation("mesh", "cannot be empty"));
    }

    @org.junit.jupiter.api.Test
    void checksTheMeshOfMeshScopedTypes() {
        assertThat(check(ResourceTypes.TRAFFIC_ROUTE, "Bad", "ok")).containsExactly(new Violation("mesh", INVALID));
    }

    @org.junit.jupiter.api.Test
    void secretsMayContainDotsForBuiltinCaNames() {
        assertThat(check(ResourceTypes.SECRET, "default", "default.ca-builtin-cert-ca-1")).isEmpty();
        assertThat(check(ResourceTypes.SECRET, "default", "Bad")).extracting(Violation::message)
                .containsExactly("invalid characters. Valid characters are numbers, lowercase latin letters and"
                        + " '-', '_', '.' symbols.");
    }

    @org.junit.jupiter.api.Test
    void refusesNamesLongerThanTheStoreLimit() {
        assertThat(check(ResourceTypes.MESH, "", "a".repeat(254))).extracting(Violation::field)
                .containsExactly("name");
        assertThat(check(ResourceTypes.MESH, "", "a".repeat(253))).isEmpty();
    }
}
