package io.ursa.api.dataplane;

import io.ursa.api.policy.ValidationVectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Runs the vectors in {@code testdata/dataplane/validation}: every rule of spec §12.2. */
class DataplaneValidationTest {
    static Stream<ValidationVectors.Case> cases() {
        return ValidationVectors.casesIn("testdata/dataplane/validation");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reportsKumasViolations(ValidationVectors.Case vector) {
        vector.check();
    }
}
