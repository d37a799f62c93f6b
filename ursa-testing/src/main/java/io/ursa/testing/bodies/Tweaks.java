package io.ursa.testing.bodies;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Values near a field's own value: its number made huge, negative or fractional, its duration's count pushed past
 * what fits, its text emptied, doubled, cased or cut, its type changed. Random values rarely land on the edge of
 * what one field accepts; these do.
 */
final class Tweaks {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern COUNT_AND_UNIT = Pattern.compile("^(-?\\d+)(\\.\\d+)?([a-zA-Zµ]*)$");

    private static final List<Function<String, JsonNode>> TEXT = List.of(
            s -> NODES.textNode(""),
            s -> NODES.textNode(s + s),
            s -> NODES.textNode(s.toUpperCase()),
            s -> NODES.textNode("-" + s),
            s -> NODES.textNode(withCount(s, "99999999999")),
            s -> NODES.textNode(withCount(s, "2562048")),
            s -> NODES.textNode(withCount(s, "2562047")),
            s -> NODES.textNode(withCount(s, "0")),
            s -> NODES.textNode(withCount(s, "-1")),
            s -> NODES.textNode(withUnit(s, "h")),
            s -> NODES.textNode(withUnit(s, "ns")),
            s -> NODES.textNode(withUnit(s, "y")),
            s -> NODES.textNode(withUnit(s, "")),
            s -> NODES.textNode(s + " "),
            s -> NODES.textNode(s.repeat(64)),
            s -> NODES.textNode(s + "\u0000"),
            s -> NODES.textNode(s.substring(0, s.length() / 2)),
            s -> NODES.textNode(s.replace('.', '/')),
            s -> NODES.numberNode(s.length()),
            s -> NODES.booleanNode(true),
            s -> NODES.arrayNode().add(s));

    private static final List<Function<BigDecimal, JsonNode>> NUMBER = List.of(
            n -> NODES.numberNode(0),
            n -> NODES.numberNode(-1),
            n -> NODES.numberNode(n.negate()),
            n -> NODES.numberNode(n.multiply(BigDecimal.valueOf(1_000_000))),
            n -> NODES.numberNode(n.add(new BigDecimal("0.5"))),
            n -> NODES.numberNode(2_147_483_648L),
            n -> NODES.numberNode(4_294_967_296L),
            n -> NODES.numberNode(Long.MAX_VALUE),
            n -> NODES.numberNode(new BigDecimal("1e30")),
            n -> NODES.numberNode(65_536),
            n -> NODES.numberNode(n.add(BigDecimal.ONE)),
            n -> NODES.textNode(n.toPlainString()),
            n -> NODES.nullNode());

    private Tweaks() {
    }

    /** The {@code variant}-th tweak of {@code value} (modulo the tweaks its kind has). */
    static JsonNode of(JsonNode value, int variant) {
        if (value.isTextual()) {
            return TEXT.get(Math.floorMod(variant, TEXT.size())).apply(value.asText());
        }
        if (value.isNumber()) {
            return NUMBER.get(Math.floorMod(variant, NUMBER.size())).apply(value.decimalValue());
        }
        if (value.isBoolean()) {
            return switch (Math.floorMod(variant, 3)) {
                case 0 -> NODES.booleanNode(!value.asBoolean());
                case 1 -> NODES.textNode(value.asText());
                default -> NODES.numberNode(value.asBoolean() ? 1 : 0);
            };
        }
        return Math.floorMod(variant, 2) == 0 ? NODES.objectNode() : NODES.textNode("");
    }

    /** {@code "10y"} with count {@code "99"} is {@code "99y"}; text without a leading count gets one. */
    private static String withCount(String s, String count) {
        Matcher m = COUNT_AND_UNIT.matcher(s);
        return m.matches() ? count + m.group(3) : count + s;
    }

    /** {@code "10y"} with unit {@code "h"} is {@code "10h"}. */
    private static String withUnit(String s, String unit) {
        Matcher m = COUNT_AND_UNIT.matcher(s);
        return m.matches() ? m.group(1) + (m.group(2) == null ? "" : m.group(2)) + unit : s + unit;
    }
}
