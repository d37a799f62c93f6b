package io.ursa.api.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.resource.Spec;
import io.ursa.api.validation.Path;
import java.time.Duration;
import java.util.Collections;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** The codec's refusals that need raw text or timing; the field-level ones are vectors (CodecVectorsTest). */
class ResourceCodecTest {
    private static final ResourceCodec CODEC = new ResourceCodec(ResourceTypes.standard());

    /** A single-value record written and read as a string, like ProtoDuration, as a spec field. */
    record Colour(int rgb) {
        @JsonCreator
        static Colour parse(String hex) {
            return new Colour(Integer.parseInt(hex.substring(1), 16));
        }

        @JsonValue
        String hex() {
            return String.format("#%06x", rgb);
        }
    }

    record PaintSpec(Colour colour) implements Spec {
    }

    private static final ResourceType<PaintSpec> PAINT = ResourceType.builder("Paint", PaintSpec.class)
            .wsPath("paints").cli("paint", "paints").displayNames("Paint", "Paints").build();

    @Test
    void saysAStringIsExpectedForATypeCreatedFromAString() {
        assertRefused(() -> CODEC.decodeSpec(PAINT, CODEC.parseJson("{\"colour\":{\"r\":255}}"), Path.root()),
                "colour", "expected a string, got: an object");
        assertThat(CODEC.decodeSpec(PAINT, CODEC.parseJson("{\"colour\":\"#ff0000\"}"), Path.root()))
                .isEqualTo(new PaintSpec(new Colour(0xff0000)));
    }

    @Test
    void keepsATagWhoseValueIsEmptyThroughEveryRoundTrip() {
        String yaml = """
                type: ProxyTemplate
                name: pt
                mesh: default
                selectors:
                - match:
                    kuma.io/service: backend
                conf:
                  modifications:
                  - listener:
                      operation: remove
                      match:
                        tags:
                          kuma.io/service: ''
                """;
        Resource<?> stored = CODEC.decode(CODEC.parseYamlDocuments(yaml).get(0));

        // {kuma.io/service: ""} selects listeners tagged with an empty service; {} would select every listener
        assertThat(CODEC.decode(CODEC.toUniversal(stored)).spec()).isEqualTo(stored.spec());
        assertThat(CODEC.decode(CODEC.parseJson(CODEC.writeJson(CODEC.toKubernetes(stored)))).spec())
                .isEqualTo(stored.spec());
        assertThat(CODEC.writeYaml(CODEC.toUniversal(stored))).contains("kuma.io/service: \"\"");
    }

    @Test
    void refusesAnAliasBombQuicklyAtTheFirstAlias() {
        StringBuilder bomb = new StringBuilder("a0: &a0 [")
                .append(String.join(",", Collections.nCopies(9, "\"lol\""))).append("]\n");
        for (int level = 1; level <= 9; level++) {
            bomb.append("a").append(level).append(": &a").append(level).append(" [")
                    .append(String.join(",", Collections.nCopies(9, "*a" + (level - 1)))).append("]\n");
        }
        String text = bomb.toString();

        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertRefused(
                () -> CODEC.parseYamlDocuments(text),
                "", "YAML aliases are not supported (found *a0 at line 2, column 10)"));
    }

    @Test
    void speaksOfTheInputNotOfTheParserInSyntaxErrors() {
        assertRefused(() -> CODEC.parseJson("\n{\"type\": \"Mesh\""),
                "", "could not parse JSON at line 2, column 16: Unexpected end-of-input: expected close marker for"
                        + " Object (opened at line 2, column 1)");
        assertRefused(() -> CODEC.parseYamlDocuments("{{type: Mesh}: x}"),
                "", "could not parse YAML at line 1, column 3: Expected a field name (Scalar value in YAML), got"
                        + " this instead: a mapping");
        // an escape cut short at the end of the input: the parser's exception class is not the reason
        assertRefused(() -> CODEC.parseYamlDocuments("type: Mesh\nname: \"a\\u"),
                "", "could not parse YAML at line 2, column 5: Malformed Number token: failed to tokenize:"
                        + " For input string: \"\" under radix 16");
    }

    @Test
    void refusesYamlOverOneMebibyte() {
        String text = paddedMesh(Json.MAX_DOCUMENT_CHARS + 1);

        assertRefused(() -> CODEC.parseYamlDocuments(text),
                "", "the input is 1048577 characters long (expected: at most 1048576)");
    }

    @Test
    void refusesJsonOverOneMebibyte() {
        String head = "{\"type\":\"Mesh\",\"name\":\"padded\",\"x\":\"";
        String text = head + "x".repeat(Json.MAX_DOCUMENT_CHARS - head.length()) + "\"}";

        assertRefused(() -> CODEC.parseJson(text),
                "", "the input is " + text.length() + " characters long (expected: at most 1048576)");
    }

    @Test
    void acceptsYamlOfExactlyOneMebibyte() {
        assertThat(CODEC.parseYamlDocuments(paddedMesh(Json.MAX_DOCUMENT_CHARS)))
                .singleElement().satisfies(doc -> assertThat(CODEC.decode(doc).name()).isEqualTo("padded"));
    }

    @Test
    void skipsEmptyYamlDocuments() {
        assertThat(CODEC.parseYamlDocuments("")).isEmpty();
        assertThat(CODEC.parseYamlDocuments("---\n---\n# nothing\n")).isEmpty();
        assertThat(CODEC.parseYamlDocuments("---\ntype: Mesh\nname: a\n---\n---\ntype: Mesh\nname: b\n"))
                .hasSize(2);
    }

    @Test
    void refusesAnEmptyJsonDocument() {
        assertRefused(() -> CODEC.parseJson(" \n"), "", "the document is empty");
    }

    @Test
    void namesTheLineAndColumnOfInvalidJson() {
        assertThatThrownBy(() -> CODEC.parseJson("{\n  \"type\": \"Mesh\",\n  \"name\": }"))
                .isInstanceOfSatisfying(DecodeException.class, e -> {
                    assertThat(e.field()).isEmpty();
                    assertThat(e.reason()).startsWith("could not parse JSON at line 3, column 11: ");
                });
    }

    private static void assertRefused(ThrowingCallable decoding, String field, String reason) {
        assertThatThrownBy(decoding).isInstanceOfSatisfying(DecodeException.class, e -> {
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.reason()).isEqualTo(reason);
        });
    }

    /** A Mesh document padded with a comment to exactly {@code length} characters. */
    private static String paddedMesh(int length) {
        String head = "type: Mesh\nname: padded\n# ";
        return head + "x".repeat(length - head.length());
    }
}
