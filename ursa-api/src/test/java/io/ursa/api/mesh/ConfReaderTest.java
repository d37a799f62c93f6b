package io.ursa.api.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursa.api.codec.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Typed reads of free-form conf, as lenient as Kuma's jsonpb unmarshal and no more. */
class ConfReaderTest {
    @Test
    void absentAndNullFieldsReadAsZeroOrUnset() throws Exception {
        ConfReader r = ConfReader.of(conf("{a: null}"));

        assertThat(r.string("a")).isEmpty();
        assertThat(r.uint32("a")).isZero();
        assertThat(r.bool("missing")).isFalse();
        assertThat(r.boolWrapper("a")).isEmpty();
        assertThat(r.uint32Wrapper("missing")).isEmpty();
        assertThat(r.object("a")).isEmpty();
        assertThat(r.objects("a")).isEmpty();
        assertThat(r.stringMap("a")).isEmpty();
        assertThat(r.bytes("a")).isEmpty();
        assertThat(r.has("a")).isFalse();
        assertThat(ConfReader.of(null).string("x")).isEmpty();
    }

    @Test
    void integersMayBeNumbersOrDecimalStrings() throws Exception {
        ConfReader r = ConfReader.of(conf("{a: 5670, b: '5670', c: 2048.0, d: 4294967295}"));

        assertThat(r.uint32("a")).isEqualTo(5670);
        assertThat(r.uint32("b")).isEqualTo(5670);
        assertThat(r.uint32Wrapper("c")).contains(2048L);
        assertThat(r.uint32("d")).isEqualTo(4294967295L);
    }

    @Test
    void rejectsWrongTypesNamingTheNestedField() throws Exception {
        ConfReader r = ConfReader.of(conf("{n: 4294967296, f: 1.5, s: 5, b: 'true', l: {}, m: [1], o: {x: {y: 1}}}"));

        assertThatThrownBy(() -> r.uint32("n")).hasMessage("n: expected an unsigned 32-bit integer, got: 4294967296");
        assertThatThrownBy(() -> r.uint32("f")).hasMessage("f: expected an unsigned 32-bit integer, got: 1.5");
        assertThatThrownBy(() -> r.string("s")).hasMessage("s: expected a string, got: 5");
        assertThatThrownBy(() -> r.bool("b")).hasMessage("b: expected a boolean, got: \"true\"");
        assertThatThrownBy(() -> r.objects("l")).hasMessage("l: expected a list, got: an object");
        assertThatThrownBy(() -> r.objects("m")).hasMessage("m[0]: expected an object, got: 1");
        assertThatThrownBy(() -> r.object("o").orElseThrow().object("x").orElseThrow().string("y"))
                .isInstanceOf(ConfException.class).hasMessage("o.x.y: expected a string, got: 1");
    }

    @Test
    void bytesAreStandardOrUrlSafeBase64WithOrWithoutPadding() throws Exception {
        ConfReader r = ConfReader.of(conf("{a: 'dGVzdA==', b: 'dGVzdA', c: '-_8', d: 'not base64!'}"));

        assertThat(new String(r.bytes("a").orElseThrow(), StandardCharsets.UTF_8)).isEqualTo("test");
        assertThat(new String(r.bytes("b").orElseThrow(), StandardCharsets.UTF_8)).isEqualTo("test");
        assertThat(r.bytes("c").orElseThrow()).containsExactly(0xfb, 0xff);
        assertThatThrownBy(() -> r.bytes("d")).hasMessage("d: expected a base64 string, got: \"not base64!\"");
    }

    @Test
    void stringMapsAreSorted() throws Exception {
        assertThat(ConfReader.of(conf("{t: {b: '2', a: '1'}}")).stringMap("t"))
                .containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
    }

    private static ObjectNode conf(String yaml) throws IOException {
        return (ObjectNode) Json.yaml().readTree(yaml);
    }
}
