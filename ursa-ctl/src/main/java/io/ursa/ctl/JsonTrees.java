package io.ursa.ctl;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursa.api.codec.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Reads the control plane's JSON answers into a tree with Jackson's streaming parser alone. Building an
 * {@code ObjectMapper} to call {@code readTree} costs a command tens of milliseconds at start, more than parsing
 * the answer. The tree is the same: objects, arrays, text, numbers (as Jackson's mapper reads them: int, long,
 * big integer or double), booleans and null; an empty body is a missing node. Json's limits apply.
 */
final class JsonTrees {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(Json.MAX_NESTING_DEPTH)
                    .maxStringLength(Json.MAX_DOCUMENT_CHARS)
                    .build())
            .build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonTrees() {
    }

    static JsonNode parse(String text) throws JsonProcessingException {
        try (JsonParser parser = FACTORY.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return MissingNode.getInstance();
            }
            JsonNode root = read(parser, first);
            if (parser.nextToken() != null) {
                throw new com.fasterxml.jackson.core.JsonParseException(parser,
                        "trailing content after the JSON value");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("reading JSON from a string", e);
        }
    }

    /** The value that starts at {@code token}, containers built without recursion. */
    private static JsonNode read(JsonParser parser, JsonToken token) throws IOException {
        if (!token.isStructStart()) {
            return scalar(parser, token);
        }
        Deque<JsonNode> open = new ArrayDeque<>();
        JsonNode root = token == JsonToken.START_OBJECT ? NODES.objectNode() : NODES.arrayNode();
        open.push(root);
        String field = null;
        while (!open.isEmpty()) {
            JsonToken next = parser.nextToken();
            if (next == null) {
                throw new com.fasterxml.jackson.core.JsonParseException(parser, "unexpected end of JSON");
            }
            if (next == JsonToken.FIELD_NAME) {
                field = parser.currentName();
                continue;
            }
            if (next.isStructEnd()) {
                open.pop();
                continue;
            }
            JsonNode value = next.isStructStart()
                    ? (next == JsonToken.START_OBJECT ? NODES.objectNode() : NODES.arrayNode())
                    : scalar(parser, next);
            JsonNode parent = open.peek();
            if (parent instanceof ObjectNode object) {
                object.set(field, value);
            } else {
                ((ArrayNode) parent).add(value);
            }
            if (next.isStructStart()) {
                open.push(value);
            }
        }
        return root;
    }

    private static JsonNode scalar(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_STRING -> NODES.textNode(parser.getText());
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> NODES.numberNode(parser.getIntValue());
                case LONG -> NODES.numberNode(parser.getLongValue());
                default -> NODES.numberNode(parser.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(parser.getDoubleValue());
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            default -> throw new com.fasterxml.jackson.core.JsonParseException(parser, "unexpected " + token);
        };
    }
}
