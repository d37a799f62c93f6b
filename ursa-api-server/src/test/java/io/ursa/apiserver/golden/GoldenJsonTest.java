package io.ursa.apiserver.golden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class GoldenJsonTest {
    /** Relative to {@code src/test/resources}, like every golden path, but under {@code target/}. */
    private static final String SCRATCH_GOLDEN = "../../../target/golden-json-test/differs.golden.json";

    @Test
    void outputThatDiffersFromItsGoldenFailsUnlessTheUpdateSwitchIsOn() throws Exception {
        assumeFalse(Boolean.getBoolean(GoldenJson.UPDATE_PROPERTY), "-Dgolden.update=true rewrites every golden");
        Path golden = Path.of(System.getProperty("basedir", "."), "target", "golden-json-test", "differs.golden.json");
        Files.createDirectories(golden.getParent());
        Files.writeString(golden, "{\n  \"name\": \"expected\"\n}\n", StandardCharsets.UTF_8);

        // Nothing but the one switch (no environment variable, say) may turn this failure into a rewrite.
        assertThatThrownBy(() -> GoldenJson.assertMatches("{\"name\": \"actual\"}", SCRATCH_GOLDEN, Scrubber.none()))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("output differs from golden file")
                .hasMessageContaining("-Dgolden.update=true");
        assertThat(golden).content(StandardCharsets.UTF_8).contains("expected");
    }
}
