package io.ursa.api.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ursa.api.codec.Json;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.validation.Violation;
import io.ursa.api.validation.Violations;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every vector under {@code testdata/mesh/validation/}: {@code mesh} is a Mesh in Universal form, decoded
 * with the standard codec and validated as is (no defaulting, like Kuma's {@code mesh_validator_test.go});
 * {@code violations} is the exact list expected, in order.
 */
class MeshValidationVectorsTest {
    private static final String DIRECTORY = "/testdata/mesh/validation";
    private static final ResourceCodec CODEC = new ResourceCodec(ResourceTypes.standard());

    static Stream<Named<Path>> vectors() throws IOException, URISyntaxException {
        Path dir = Path.of(MeshValidationVectorsTest.class.getResource(DIRECTORY).toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted()
                    .map(f -> Named.of(f.getFileName().toString(), f)).toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void producesExactlyTheExpectedViolations(Path vector) throws IOException {
        JsonNode root = Json.yaml().readTree(Files.readString(vector));
        Resource<MeshSpec> mesh = CODEC.decode(root.required("mesh")).as(ResourceTypes.MESH);
        List<Violation> expected = new ArrayList<>();
        for (JsonNode v : root.required("violations")) {
            expected.add(new Violation(v.required("field").asText(), v.required("message").asText()));
        }

        Violations actual = new Violations();
        MeshValidator.validate(mesh.spec(), actual);

        assertThat(actual.list()).containsExactlyElementsOf(expected);
    }

    @Test
    void vectorsCoverManyCases() throws IOException, URISyntaxException {
        assertThat(vectors().count()).isGreaterThanOrEqualTo(40);
    }
}
