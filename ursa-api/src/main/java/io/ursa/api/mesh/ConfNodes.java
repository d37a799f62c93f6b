package io.ursa.api.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;

/** Helpers for the free-form {@code conf} objects (protobuf {@code Struct}s) of mesh backends. */
final class ConfNodes {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ConfNodes() {
    }

    static ObjectNode emptyObject() {
        return NODES.objectNode();
    }

    /**
     * A deep copy in the canonical form a {@code Struct} has: keys sorted at every level (as Kuma writes them) and
     * integral numbers as {@code int}/{@code long} nodes whatever their spelling ({@code 2048.0} is {@code 2048}),
     * so equal configs compare equal.
     */
    static ObjectNode canonicalCopy(ObjectNode conf) {
        return (ObjectNode) canonical(conf);
    }

    private static JsonNode canonical(JsonNode node) {
        if (node.isObject()) {
            TreeMap<String, JsonNode> sorted = new TreeMap<>();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                sorted.put(e.getKey(), canonical(e.getValue()));
            }
            ObjectNode out = NODES.objectNode();
            sorted.forEach(out::set);
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = NODES.arrayNode(node.size());
            node.forEach(element -> out.add(canonical(element)));
            return out;
        }
        if (node.isNumber()) {
            return canonicalNumber(node);
        }
        return node.deepCopy();
    }

    private static JsonNode canonicalNumber(JsonNode number) {
        if (number.isIntegralNumber() ? number.canConvertToLong() : isIntegralDouble(number.doubleValue())) {
            long value = number.isIntegralNumber() ? number.longValue() : (long) number.doubleValue();
            return value == (int) value ? IntNode.valueOf((int) value) : LongNode.valueOf(value);
        }
        return DoubleNode.valueOf(number.doubleValue());
    }

    private static boolean isIntegralDouble(double d) {
        return d == Math.rint(d) && Math.abs(d) < 0x1p63;
    }

    /** A short description of a JSON value for messages: {@code "abc"}, {@code 5}, {@code a list}. */
    static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        if (node.isTextual()) {
            String s = node.asText();
            return GoQuote.quote(s.length() > 40 ? s.substring(0, 40) + "..." : s);
        }
        if (node.isArray()) {
            return "a list";
        }
        if (node.isObject()) {
            return "an object";
        }
        return node.toString();
    }
}
