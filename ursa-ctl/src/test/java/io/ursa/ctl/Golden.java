package io.ursa.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden files under {@code src/test/resources/testdata/ctl/}. Run with {@code -Dgolden.update=true} to
 * rewrite them from the actual output, then review the diff like code.
 */
final class Golden {
    static final Path DIR = Path.of("src", "test", "resources", "testdata", "ctl");

    private Golden() {
    }

    static String read(String name) {
        try {
            return Files.readString(DIR.resolve(name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void assertMatches(String actual, String name) {
        Path file = DIR.resolve(name);
        if (Boolean.getBoolean("golden.update")) {
            try {
                Files.createDirectories(file.getParent());
                Files.writeString(file, actual, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        assertThat(file).as("golden file %s (regenerate with: ./mvnw -pl ursa-ctl test -Dgolden.update=true)",
                file.toAbsolutePath()).exists();
        assertThat(actual).as("output compared with %s (regenerate with: ./mvnw -pl ursa-ctl test "
                + "-Dgolden.update=true)", file.toAbsolutePath()).isEqualTo(read(name));
    }
}
