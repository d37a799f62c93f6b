package io.ursa.testing.bodies;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One change to a JSON document: replace or remove the value at a position, add a field to an object, or append
 * to an array. {@code at} picks the position modulo the number of candidates, so every edit applies to every
 * document (and shrinks towards its first field).
 */
public record Edit(Kind kind, int at, int variant, String field, JsonNode value) {
    /**
     * Replace a value, tweak a scalar to a value near it (see {@link Tweaks}), remove a value, add a field, append
     * to an array.
     */
    public enum Kind { REPLACE, TWEAK, REMOVE, ADD_FIELD, APPEND }

    /** Applies this edit to {@code root} in place. */
    public void applyTo(ObjectNode root) {
        switch (kind) {
            case TWEAK -> {
                List<Slot> slots = new ArrayList<>();
                collectSlots(root, slots);
                List<Slot> scalars = slots.stream().filter(slot -> slot.value().isValueNode()).toList();
                if (!scalars.isEmpty()) {
                    Slot slot = scalars.get(Math.floorMod(at, scalars.size()));
                    slot.replace(Tweaks.of(slot.value(), variant));
                }
            }
            case REPLACE, REMOVE -> {
                List<Slot> slots = new ArrayList<>();
                collectSlots(root, slots);
                if (slots.isEmpty()) {
                    root.set(field, value.deepCopy());
                    return;
                }
                Slot slot = slots.get(Math.floorMod(at, slots.size()));
                if (kind == Kind.REPLACE) {
                    slot.replace(value.deepCopy());
                } else {
                    slot.remove();
                }
            }
            case ADD_FIELD -> {
                List<ObjectNode> objects = new ArrayList<>();
                collect(root, ObjectNode.class, objects);
                objects.get(Math.floorMod(at, objects.size())).set(field, value.deepCopy());
            }
            case APPEND -> {
                List<ArrayNode> arrays = new ArrayList<>();
                collect(root, ArrayNode.class, arrays);
                if (arrays.isEmpty()) {
                    root.set(field, value.deepCopy());
                } else {
                    arrays.get(Math.floorMod(at, arrays.size())).add(value.deepCopy());
                }
            }
            default -> throw new IllegalStateException("unknown edit " + kind);
        }
    }

    /** A field of an object or an element of an array. */
    private record Slot(JsonNode parent, String name, int index) {
        JsonNode value() {
            return parent instanceof ObjectNode object ? object.get(name) : parent.get(index);
        }

        void replace(JsonNode value) {
            if (parent instanceof ObjectNode object) {
                object.set(name, value);
            } else {
                ((ArrayNode) parent).set(index, value);
            }
        }

        void remove() {
            if (parent instanceof ObjectNode object) {
                object.remove(name);
            } else {
                ((ArrayNode) parent).remove(index);
            }
        }
    }

    private static void collectSlots(JsonNode node, List<Slot> out) {
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                out.add(new Slot(object, field.getKey(), -1));
                collectSlots(field.getValue(), out);
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                out.add(new Slot(array, null, i));
                collectSlots(array.get(i), out);
            }
        }
    }

    private static <T extends JsonNode> void collect(JsonNode node, Class<T> kind, List<T> out) {
        if (kind.isInstance(node)) {
            out.add(kind.cast(node));
        }
        for (JsonNode child : node) {
            collect(child, kind, out);
        }
    }

    @Override
    public String toString() {
        return switch (kind) {
            case TWEAK -> "TWEAK@" + at + "#" + variant;
            case REMOVE -> "REMOVE@" + at;
            case ADD_FIELD -> "ADD_FIELD@" + at + " " + field + " = " + value;
            default -> kind + "@" + at + " = " + value;
        };
    }
}
