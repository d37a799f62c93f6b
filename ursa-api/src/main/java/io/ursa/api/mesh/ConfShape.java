package io.ursa.api.mesh;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The fields a typed backend {@code conf} (a protobuf message read from a {@code Struct}) knows, for reporting
 * the keys its reader would ignore. A shape is an object with named fields, a list of one shape, or a value
 * (a scalar, a wrapper, or a map with free-form keys such as {@code tags}) whose inside is not checked. Immutable.
 *
 * @param fields the known fields of an object, in the order of Kuma's message (the order suggestions prefer);
 *               empty for a list or a value
 * @param element the shape of a list's elements; empty for an object or a value
 */
public record ConfShape(Kind kind, Map<String, ConfShape> fields, Optional<ConfShape> element) {
    /** What a shape describes. */
    public enum Kind {
        OBJECT, LIST, VALUE
    }

    private static final ConfShape VALUE = new ConfShape(Kind.VALUE, Map.of(), Optional.empty());

    public ConfShape {
        Objects.requireNonNull(kind, "kind");
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        Objects.requireNonNull(element, "element");
        if ((kind == Kind.LIST) != element.isPresent()) {
            throw new IllegalArgumentException("a list shape, and only a list shape, has an element shape");
        }
        if (kind != Kind.OBJECT && !fields.isEmpty()) {
            throw new IllegalArgumentException("only an object shape has fields");
        }
    }

    /** A value whose inside is not checked: a scalar, a wrapper, or a map with free-form keys. */
    public static ConfShape value() {
        return VALUE;
    }

    /** A list whose elements have {@code element}'s shape. */
    public static ConfShape listOf(ConfShape element) {
        return new ConfShape(Kind.LIST, Map.of(), Optional.of(element));
    }

    /** An object with the fields {@code names} (each a {@link #value}), then those added with {@link #with}. */
    public static ConfShape object(String... names) {
        Map<String, ConfShape> fields = new LinkedHashMap<>();
        for (String name : names) {
            fields.put(name, VALUE);
        }
        return new ConfShape(Kind.OBJECT, fields, Optional.empty());
    }

    /** This object shape with one more field, {@code name}, of shape {@code shape}. */
    public ConfShape with(String name, ConfShape shape) {
        if (kind != Kind.OBJECT) {
            throw new IllegalStateException("only an object shape has fields");
        }
        Map<String, ConfShape> more = new LinkedHashMap<>(fields);
        more.put(name, Objects.requireNonNull(shape, "shape"));
        return new ConfShape(Kind.OBJECT, more, Optional.empty());
    }
}
