package io.ursa.apiserver.golden;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Golden files for JSON output: the golden is canonical JSON (keys sorted, two-space indent, trailing newline)
 * under {@code src/test/resources/}, compared with the actual output as a tree after scrubbing volatile values.
 * With {@code -Dgolden.update=true}, the one switch (see the README's "Tests and benchmarks"), the golden is
 * rewritten from the actual output first, so that run passes and the diff is reviewed like code; nothing else,
 * such as an environment variable, turns updating on. Not tied to any module: it only needs the module's base
 * directory (Maven's working directory for tests).
 */
public final class GoldenJson {
    public static final String UPDATE_PROPERTY = "golden.update";
    private static final ObjectMapper MAPPER = JsonMapper.builder().build();
    /** Two-space indent, {@code "key": value}, one array element per line. */
    private static final DefaultPrettyPrinter PRINTER = new DefaultPrettyPrinter(Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
            .withObjectEmptySeparator("")
            .withArrayEmptySeparator(""))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"));

    private GoldenJson() {
    }

    /**
     * Asserts that {@code actualJson}, scrubbed, equals the golden file {@code goldenPath} (relative to
     * {@code src/test/resources}, e.g. {@code testdata/api/index.golden.json}).
     */
    public static void assertMatches(String actualJson, String goldenPath, Scrubber scrubber) {
        String actual = canonical(scrubber.apply(parse(actualJson, "the actual output")));
        Path file = sourceFile(goldenPath);
        try {
            if (isUpdateMode()) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, actual, StandardCharsets.UTF_8);
            }
            assertThat(file).as("golden file %s is missing; create it with: %s", file, regenerateCommand()).exists();
            String expected = canonical(parse(Files.readString(file, StandardCharsets.UTF_8), file.toString()));
            assertThat(actual)
                    .as("output differs from golden file %s (if the change is intended, regenerate with: %s)",
                            file, regenerateCommand())
                    .isEqualTo(expected);
        } catch (IOException e) {
            throw new UncheckedIOException("could not access golden file " + file, e);
        }
    }

    static boolean isUpdateMode() {
        return Boolean.getBoolean(UPDATE_PROPERTY);
    }

    private static Path sourceFile(String goldenPath) {
        return Path.of(System.getProperty("basedir", "."), "src", "test", "resources").resolve(goldenPath)
                .toAbsolutePath().normalize();
    }

    private static String regenerateCommand() {
        Path module = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().getFileName();
        return "./mvnw -B -q test -pl " + module + " -D" + UPDATE_PROPERTY + "=true";
    }

    private static JsonNode parse(String json, String what) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new AssertionError(what + " is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Sorted keys, indented, with a trailing newline: the form golden files are stored in. */
    static String canonical(JsonNode node) {
        try {
            return MAPPER.writer(PRINTER).writeValueAsString(sorted(node)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode sorted(JsonNode node) {
        if (node instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            Collections.sort(names);
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            names.forEach(n -> out.set(n, sorted(object.get(n))));
            return out;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            array.forEach(e -> out.add(sorted(e)));
            return out;
        }
        return node;
    }
}
