package io.ursa.testing.bodies;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Arbitrary JSON values for edits of resource documents: scalars a validator must handle (empty, huge, negative,
 * fractional, the names and values Kuma's fields hold, durations, addresses, paths of the control plane's host)
 * and small arrays and objects of them.
 */
public final class JsonValues {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Strings a field of some resource type accepts, so that edits reach deep validation and the store. */
    private static final List<String> MEANINGFUL = List.of(
            "", " ", "*", "default", "demo", "web", "backend", "kuma.io/service", "kuma.io/protocol", "kuma.io/zone",
            "http", "http2", "grpc", "tcp", "kafka", "builtin", "provided", "prometheus", "zipkin", "datadog", "file",
            "tcp", "STRICT", "PERMISSIVE", "CREATE", "UPDATE", "DELETE", "GENERATE_DATAPLANE_TOKEN", "User", "Group",
            "Mesh", "TrafficRoute", "TrafficPermission", "Secret", "admin", "mesh-system:admin", "0", "-1", "1s",
            "0s", "-1s", "1.5s", "10m", "1h", "1d", "10y", "2562047h", "2562048h", "9999999999999h", "1e3s", "P1D",
            "127.0.0.1", "0.0.0.0", "::1", "[::1]", "10.0.0.1/8", "256.0.0.1", "localhost", "example.com:443",
            "http://example.com/x", "https://", "/dev/zero", "/dev/urandom", "/proc/self/environ", "/etc/passwd",
            "/nonexistent/ca.pem", "dmFsdWU=", "not base64!", "^a.*", "(", "${HOME}", "%START_TIME%", "{{ x }}",
            "a.b.c", "UPPER", "with space", "new\nline", "tab\t", "quote\"", "back\\slash", "\u0000", "é", "漢字",
            "\uD83D\uDE00", "-", "--", ".", "..", "a".repeat(253), "a".repeat(254), "b".repeat(2_000));

    private JsonValues() {
    }

    /** Any value: mostly scalars, sometimes an array or an object of scalars and small containers. */
    public static Arbitrary<JsonNode> any() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, scalars()),
                Tuple.of(1, arrays(scalars())),
                Tuple.of(1, objects(scalars())),
                Tuple.of(1, arrays(Arbitraries.oneOf(arrays(scalars()), objects(scalars())))),
                Tuple.of(1, objects(Arbitraries.oneOf(arrays(scalars()), objects(scalars())))));
    }

    /** Strings, numbers, booleans and null. */
    public static Arbitrary<JsonNode> scalars() {
        return Arbitraries.oneOf(
                strings().map(NODES::textNode),
                Arbitraries.integers().map(i -> (JsonNode) NODES.numberNode(i)),
                Arbitraries.of(0L, 1L, -1L, 65_535L, 65_536L, 4_294_967_296L, Long.MAX_VALUE, Long.MIN_VALUE)
                        .map(l -> (JsonNode) NODES.numberNode(l)),
                Arbitraries.of(new BigInteger("99999999999999999999999999"), BigInteger.valueOf(-1).shiftLeft(70))
                        .map(b -> (JsonNode) NODES.numberNode(b)),
                Arbitraries.doubles().map(d -> (JsonNode) NODES.numberNode(d)),
                Arbitraries.of(new BigDecimal("1e400"), new BigDecimal("-0.0"), new BigDecimal("0.5"),
                        new BigDecimal("100.0001")).map(d -> (JsonNode) NODES.numberNode(d)),
                Arbitraries.of(true, false).map(b -> (JsonNode) NODES.booleanNode(b)),
                Arbitraries.just(NODES.nullNode()));
    }

    /** Field names and string values: ones Kuma's fields use, and arbitrary ones. */
    public static Arbitrary<String> strings() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of(MEANINGFUL)),
                Tuple.of(2, Arbitraries.strings().alpha().numeric().withChars("-._/:*").ofMaxLength(24)),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(16)));
    }

    static Arbitrary<JsonNode> arrays(Arbitrary<JsonNode> elements) {
        return elements.list().ofMaxSize(4).map(list -> {
            ArrayNode array = NODES.arrayNode();
            list.forEach(array::add);
            return array;
        });
    }

    static Arbitrary<JsonNode> objects(Arbitrary<JsonNode> values) {
        return Combinators.combine(strings().list().ofMaxSize(4), values.list().ofSize(4)).as((names, vals) -> {
            ObjectNode object = NODES.objectNode();
            for (int i = 0; i < names.size(); i++) {
                object.set(names.get(i), vals.get(i));
            }
            return object;
        });
    }
}
