package io.ursa.apiserver.golden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Replaces volatile values before a golden comparison: the value of named fields anywhere in the tree
 * (timestamps, host names, ids) and literal text inside strings (a server address). Immutable.
 */
public final class Scrubber {
    public static final String PLACEHOLDER = "<scrubbed>";

    private final Set<String> fields;
    private final Map<String, String> texts;

    private Scrubber(Set<String> fields, Map<String, String> texts) {
        this.fields = Set.copyOf(fields);
        this.texts = Map.copyOf(texts);
    }

    public static Scrubber none() {
        return new Scrubber(Set.of(), Map.of());
    }

    /** Also replaces the values of fields with these names, wherever they occur, with {@value #PLACEHOLDER}. */
    public Scrubber fields(String... names) {
        Set<String> more = new TreeSet<>(fields);
        more.addAll(Set.of(names));
        return new Scrubber(more, texts);
    }

    /** Also replaces {@code literal} inside every string value with {@code placeholder}. */
    public Scrubber text(String literal, String placeholder) {
        Map<String, String> more = new LinkedHashMap<>(texts);
        more.put(literal, placeholder);
        return new Scrubber(fields, more);
    }

    /** A scrubbed copy of {@code node}. */
    public JsonNode apply(JsonNode node) {
        JsonNode copy = node.deepCopy();
        scrub(copy);
        return copy;
    }

    private void scrub(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (var it = object.fields(); it.hasNext(); ) {
                var entry = it.next();
                if (fields.contains(entry.getKey()) && !entry.getValue().isContainerNode()) {
                    entry.setValue(TextNode.valueOf(PLACEHOLDER));
                } else if (entry.getValue().isTextual()) {
                    entry.setValue(TextNode.valueOf(replaceTexts(entry.getValue().asText())));
                } else {
                    scrub(entry.getValue());
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isTextual()) {
                    array.set(i, TextNode.valueOf(replaceTexts(array.get(i).asText())));
                } else {
                    scrub(array.get(i));
                }
            }
        }
    }

    private String replaceTexts(String value) {
        String out = value;
        for (Map.Entry<String, String> e : texts.entrySet()) {
            out = out.replace(e.getKey(), e.getValue());
        }
        return out;
    }
}
