package io.ursa.api.access;

import io.ursa.api.policy.ValidationVectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Runs the vectors in {@code testdata/access/validation}: AccessRole, AccessRoleBinding and AccessAudit. */
class AccessValidationTest {
    static Stream<ValidationVectors.Case> cases() {
        return ValidationVectors.casesIn("testdata/access/validation");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reportsEveryViolationWithItsField(ValidationVectors.Case vector) {
        vector.check();
    }
}
