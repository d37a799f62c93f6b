package io.ursa.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.ursa.api.codec.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ursactl reads answers with {@link JsonTrees}; the tree must be the one Jackson's mapper would read. */
class JsonTreesTest {
    @ParameterizedTest
    @ValueSource(strings = {
        "{\"total\":2,\"items\":[{\"type\":\"Mesh\",\"name\":\"a\",\"mtls\":{\"enabledBackend\":\"ca-1\"}},"
                + "{\"type\":\"Mesh\",\"name\":\"b\"}],\"next\":null}",
        "[1, -2, 3000000000, 123456789012345678901234567890, 1.5, -0.25e3, true, false, null, \"x\\\"y\\u00e9\"]",
        "{\"a\":{\"b\":{\"c\":[[],{},[{}]]}},\"empty\":\"\",\"same\":1,\"same\":2}",
        "\"just text\"",
        "42",
        "{}"
    })
    void readsTheSameTreeAsJacksonsMapper(String json) throws Exception {
        assertThat(JsonTrees.parse(json)).isEqualTo(Json.json().readTree(json));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void anEmptyBodyIsAMissingNode(String body) throws Exception {
        assertThat(JsonTrees.parse(body).isMissingNode()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":1", "[1,2", "{\"a\":1} trailing", "<html>502 Bad Gateway</html>", "{\"a\":}"})
    void aBodyThatIsNotJsonIsRefused(String body) {
        assertThatThrownBy(() -> JsonTrees.parse(body)).isInstanceOf(JsonProcessingException.class);
    }

    @org.junit.jupiter.api.Test
    void refusesNestingDeeperThanTheSharedLimit() {
        String deep = "[".repeat(Json.MAX_NESTING_DEPTH + 1) + "]".repeat(Json.MAX_NESTING_DEPTH + 1);
        assertThatThrownBy(() -> JsonTrees.parse(deep)).isInstanceOf(JsonProcessingException.class);
    }
}
