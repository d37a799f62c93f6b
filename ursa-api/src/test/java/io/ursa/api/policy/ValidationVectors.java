package io.ursa.api.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.ursa.api.codec.DecodeException;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.resource.Spec;
import io.ursa.api.validation.Violation;
import io.ursa.api.validation.Violations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Validation test vectors: YAML files of {@code cases}, each a resource in Universal form and either the
 * {@code violations} its validator must report, in order ({@code []} for a valid resource), or the
 * {@code decodeError} ({@code field}, {@code message}) decoding must fail with. Shared by the dataplane, secret
 * and policy tests.
 */
public final class ValidationVectors {
    public static final ResourceCodec CODEC = new ResourceCodec(ResourceTypes.standard());

    /** One case; {@code decodeError} is null when the resource must decode. */
    public record Case(String file, String name, JsonNode resource, List<Violation> violations,
                       Violation decodeError) {
        @Override
        public String toString() {
            return file + ": " + name;
        }

        /** Decodes, validates and compares with the expectation. */
        public void check() {
            if (decodeError != null) {
                assertThatThrownBy(() -> CODEC.decode(resource))
                        .isInstanceOfSatisfying(DecodeException.class, e ->
                                assertThat(new Violation(e.field(), e.reason())).isEqualTo(decodeError));
                return;
            }
            assertThat(validate(CODEC.decode(resource))).containsExactlyElementsOf(violations);
        }
    }

    private ValidationVectors() {
    }

    /** Every case of every {@code *.yaml} file in the classpath folder {@code folder}. */
    public static Stream<Case> casesIn(String folder) {
        List<Case> cases = new ArrayList<>();
        yamlDocumentsIn(folder).forEach((file, docs) -> cases.addAll(cases(file, docs.get(0))));
        assertThat(cases).as("cases in %s", folder).isNotEmpty();
        return cases.stream();
    }

    /** The YAML documents of each {@code *.yaml} file in the classpath folder {@code folder}, by file name. */
    static Map<String, List<JsonNode>> yamlDocumentsIn(String folder) {
        Map<String, List<JsonNode>> documents = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(Path.of(ValidationVectors.class.getResource("/" + folder).toURI()))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                String name = file.getFileName().toString();
                try {
                    documents.put(name, CODEC.parseYamlDocuments(Files.readString(file, StandardCharsets.UTF_8)));
                } catch (DecodeException e) {
                    throw new IllegalStateException(name + ": " + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return documents;
    }

    /** Runs the resource's own validator. */
    public static <S extends Spec> List<Violation> validate(Resource<S> resource) {
        Violations violations = new Violations();
        resource.type().validator().validate(resource.spec(), violations);
        return violations.list();
    }

    private static List<Case> cases(String file, JsonNode doc) {
        List<Case> cases = new ArrayList<>();
        for (JsonNode c : doc.path("cases")) {
            assertThat(c.has("violations") ^ c.has("decodeError"))
                    .as("%s: %s needs either violations or decodeError", file, c.path("name").asText()).isTrue();
            List<Violation> expected = new ArrayList<>();
            c.path("violations").forEach(v -> expected.add(violation(v)));
            Violation decodeError = c.has("decodeError") ? violation(c.get("decodeError")) : null;
            cases.add(new Case(file, c.path("name").asText(), c.get("resource"), expected, decodeError));
        }
        return cases;
    }

    private static Violation violation(JsonNode node) {
        return new Violation(node.path("field").asText(), node.path("message").asText());
    }
}
