package io.ursa.api.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A string written as YAML reads back as the same string, however much it looks like a number. */
class YamlQuotingTest {
    @ParameterizedTest
    @ValueSource(strings = {"70696e67", "1e3", "1_000", "0x1F", "0o17", "017", "0b101", "1:30", ".inf", "-.Inf",
            ".nan", "12.5", "+7", "true", "no", "on", "null", "~", "", "v1", "kuma.io/service", "2001-12-14"})
    void aStringReadsBackAsTheSameString(String value) throws Exception {
        ObjectNode doc = Json.json().createObjectNode().put("value", value);

        String yaml = Json.yaml().writeValueAsString(doc);
        JsonNode back = Json.yaml().readTree(yaml);

        assertThat(back.path("value").isTextual()).as(yaml).isTrue();
        assertThat(back.path("value").asText()).as(yaml).isEqualTo(value);
    }
}
