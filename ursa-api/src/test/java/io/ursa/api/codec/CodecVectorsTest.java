package io.ursa.api.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.validation.Violation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Runs the vectors in {@code testdata/codec/decode-errors.yaml}: what the codec refuses, and how it says so. */
class CodecVectorsTest {
    private static final ResourceCodec CODEC = new ResourceCodec(ResourceTypes.standard());
    private static final String VECTORS = "/testdata/codec/decode-errors.yaml";

    /** One case: either a parsed {@code document} or raw YAML {@code text} (null when the other is given). */
    record Case(String name, JsonNode document, String text, Violation decodeError) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (JsonNode c : CODEC.parseYamlDocuments(read(VECTORS)).get(0).path("cases")) {
            assertThat(c.has("document") ^ c.has("text"))
                    .as("%s needs either document or text", c.path("name").asText()).isTrue();
            JsonNode error = c.path("decodeError");
            cases.add(new Case(c.path("name").asText(), c.get("document"),
                    c.has("text") ? c.get("text").asText() : null,
                    new Violation(error.path("field").asText(), error.path("message").asText())));
        }
        assertThat(cases).as("cases in %s", VECTORS).isNotEmpty();
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusesWithTheFieldAndAMessageNamingWhatWasExpected(Case vector) {
        assertThatThrownBy(() -> decode(vector))
                .isInstanceOfSatisfying(DecodeException.class, e ->
                        assertThat(new Violation(e.field(), e.reason())).isEqualTo(vector.decodeError()));
    }

    private static void decode(Case vector) {
        List<JsonNode> documents = vector.text() == null ? List.of(vector.document())
                : CODEC.parseYamlDocuments(vector.text());
        documents.forEach(CODEC::decode);
    }

    private static String read(String resource) {
        try (InputStream in = CodecVectorsTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
