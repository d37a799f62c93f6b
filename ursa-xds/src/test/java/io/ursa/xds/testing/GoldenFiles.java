package io.ursa.xds.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Golden files: canonical YAML (keys sorted at every level) compared as trees, never as text. Run with
 * {@code -Dgolden.update=true} to rewrite them from the actual output; the same run then passes and the diff is
 * reviewed like code. Empty output has no golden file: update mode deletes it and a normal run asserts it is
 * absent.
 */
public final class GoldenFiles {
    /** The switch that rewrites golden files. */
    public static final String UPDATE_PROPERTY = "golden.update";

    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .stringQuotingChecker(new io.ursa.api.codec.YamlQuoting())
            .build());

    private GoldenFiles() {
    }

    /**
     * The case names of a golden folder: one per {@code <case><inputSuffix>} file, sorted. Adding a case means
     * adding its input and golden files, no code.
     */
    public static java.util.List<String> caseNames(Path folder, String inputSuffix) {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(folder)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(inputSuffix))
                    .map(n -> n.substring(0, n.length() - inputSuffix.length()))
                    .sorted()
                    .toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot list golden cases in " + folder, e);
        }
    }

    public static boolean updating() {
        return Boolean.getBoolean(UPDATE_PROPERTY);
    }

    /** Asserts that {@code golden} holds {@code actual} (an empty optional means: no golden file). */
    public static void assertMatches(Path golden, JsonNode actual) {
        Path absolute = golden.toAbsolutePath();
        String hint = " (golden file " + absolute + "; regenerate with: ./mvnw -B -q test -pl ursa-xds -D"
                + UPDATE_PROPERTY + "=true)";
        try {
            if (updating()) {
                if (actual == null) {
                    Files.deleteIfExists(golden);
                } else {
                    Files.createDirectories(absolute.getParent());
                    Files.writeString(golden, toYaml(actual), StandardCharsets.UTF_8);
                }
            }
            if (actual == null) {
                assertThat(golden).as("output is empty, so there must be no golden file" + hint).doesNotExist();
                return;
            }
            assertThat(golden).as("golden file" + hint).exists();
            JsonNode expected = YAML.readTree(Files.readString(golden, StandardCharsets.UTF_8));
            if (!sortKeys(expected).equals(sortKeys(actual))) {
                assertThat(toYaml(actual)).as("output differs from the golden file" + hint)
                        .isEqualTo(toYaml(expected));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use golden file " + absolute, e);
        }
    }

    /** The canonical YAML of a tree. */
    public static String toYaml(JsonNode node) {
        try {
            return YAML.writeValueAsString(sortKeys(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write YAML", e);
        }
    }

    /** Reads a YAML file as a tree. */
    public static JsonNode readYaml(Path file) {
        try {
            return YAML.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.toAbsolutePath(), e);
        }
    }

    /** A copy of {@code node} with the keys of every object sorted. */
    public static JsonNode sortKeys(JsonNode node) {
        if (node instanceof ObjectNode object) {
            ObjectNode sorted = YAML.createObjectNode();
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            names.forEach(name -> sorted.set(name, sortKeys(object.get(name))));
            return sorted;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode copy = YAML.createArrayNode();
            array.forEach(element -> copy.add(sortKeys(element)));
            return copy;
        }
        return node;
    }
}
