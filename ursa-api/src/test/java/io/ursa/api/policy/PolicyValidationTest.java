package io.ursa.api.policy;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Runs the vectors in {@code testdata/policy/validation}: one file per policy type. */
class PolicyValidationTest {
    static Stream<ValidationVectors.Case> cases() {
        return ValidationVectors.casesIn("testdata/policy/validation");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reportsKumasViolations(ValidationVectors.Case vector) {
        vector.check();
    }
}
