package io.ursa.api.codec;

import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBase;
import com.fasterxml.jackson.databind.deser.DefaultDeserializationContext;
import com.fasterxml.jackson.databind.deser.SettableBeanProperty;
import com.fasterxml.jackson.databind.deser.ValueInstantiator;
import io.ursa.api.mesh.BackendConfShapes;
import io.ursa.api.mesh.ConfShape;
import io.ursa.api.validation.Path;
import io.ursa.api.validation.Suggestions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Finds the fields of a JSON tree that decoding into a spec record drops. It walks the tree beside the
 * deserializers Jackson itself uses for that record, so "known" means exactly what decoding reads (names and
 * aliases): an object read by a bean deserializer has known properties; a map, a {@code JsonNode}, a string or a
 * value read through a delegating creator is free-form and nothing inside it is reported (tags, Secret data,
 * ProxyTemplate's raw Envoy YAML). A backend's {@code conf} is a {@code JsonNode} read later by its type's reader:
 * it is walked with that type's {@link ConfShape} ({@link BackendConfShapes}), and is free-form only for a type
 * without one. Values of maps and elements of lists are walked with their declared types. Decoding itself is untouched: this is a second, read-only pass. Stateless and thread-safe
 * (the deserializer cache it reads is Jackson's, which is).
 */
final class UnknownFields {
    private final ObjectMapper mapper;

    UnknownFields(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * The unknown fields of {@code node} read as {@code target}, in document order. {@code alsoKnownAtRoot} are
     * names the document holds beside the spec's at its top level (the meta fields of the Universal form): never
     * in {@code node}, but suggested for a top-level typo.
     */
    List<UnknownField> find(JsonNode node, Class<?> target, Collection<String> alsoKnownAtRoot) {
        DeserializationContext ctxt = ((DefaultDeserializationContext) mapper.getDeserializationContext())
                .createDummyInstance(mapper.getDeserializationConfig());
        List<UnknownField> out = new ArrayList<>();
        walk(ctxt, node, mapper.constructType(target), Path.root(), List.copyOf(alsoKnownAtRoot), out);
        return out;
    }

    private static void walk(DeserializationContext ctxt, JsonNode node, JavaType type, Path path,
                             List<UnknownField> out) {
        walk(ctxt, node, type, path, List.of(), out);
    }

    private static void walk(DeserializationContext ctxt, JsonNode node, JavaType type, Path path,
                             List<String> alsoKnown, List<UnknownField> out) {
        if (node == null || node.isNull() || node.isMissingNode() || !node.isContainerNode()) {
            return;
        }
        if (type.isReferenceType()) {
            walk(ctxt, node, type.getReferencedType(), path, out);
            return;
        }
        if (type.isMapLikeType()) {
            if (node.isObject()) {
                // keys are free-form; values are walked with their type
                for (Map.Entry<String, JsonNode> e : node.properties()) {
                    walk(ctxt, e.getValue(), type.getContentType(), path.key(e.getKey()), out);
                }
            }
            return;
        }
        if (type.isCollectionLikeType() || type.isArrayType()) {
            if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    walk(ctxt, node.get(i), type.getContentType(), path.index(i), out);
                }
            }
            return;
        }
        if (!node.isObject()) {
            return;
        }
        Optional<BeanDeserializerBase> bean = beanDeserializer(ctxt, type);
        if (bean.isEmpty()) {
            return;
        }
        BeanDeserializerBase deser = bean.get();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            SettableBeanProperty property = deser.findProperty(e.getKey());
            if (property == null) {
                List<String> known = new ArrayList<>(names(deser));
                known.addAll(alsoKnown);
                out.add(new UnknownField(child(path, e.getKey()).toString(), closest(e.getKey(), known)));
            } else {
                Optional<ConfShape> conf = confShape(type, property, node);
                if (conf.isPresent()) {
                    walkConf(e.getValue(), conf.get(), path.field(e.getKey()), out);
                } else {
                    walk(ctxt, e.getValue(), property.getType(), path.field(e.getKey()), out);
                }
            }
        }
    }

    /** The shape of {@code property} when it is the typed {@code conf} of the backend {@code backend}. */
    private static Optional<ConfShape> confShape(JavaType owner, SettableBeanProperty property, JsonNode backend) {
        if (!property.getName().equals("conf")) {
            return Optional.empty();
        }
        JsonNode type = backend.path("type");
        return BackendConfShapes.of(owner.getRawClass(), type.isTextual() ? type.textValue() : "");
    }

    /** Reports the keys of {@code node} its typed conf {@code shape} does not know; a value's inside is free. */
    private static void walkConf(JsonNode node, ConfShape shape, Path path, List<UnknownField> out) {
        switch (shape.kind()) {
            case OBJECT -> {
                if (node.isObject()) {
                    for (Map.Entry<String, JsonNode> e : node.properties()) {
                        ConfShape field = shape.fields().get(e.getKey());
                        if (field == null) {
                            out.add(new UnknownField(child(path, e.getKey()).toString(),
                                    closest(e.getKey(), shape.fields().keySet())));
                        } else {
                            walkConf(e.getValue(), field, path.field(e.getKey()), out);
                        }
                    }
                }
            }
            case LIST -> {
                if (node.isArray()) {
                    for (int i = 0; i < node.size(); i++) {
                        walkConf(node.get(i), shape.element().orElseThrow(), path.index(i), out);
                    }
                }
            }
            case VALUE -> {
                // scalars, wrappers and free-form maps (tags) are not searched
            }
        }
    }

    /** The bean deserializer that reads {@code type} from an object, if it reads it property by property. */
    private static Optional<BeanDeserializerBase> beanDeserializer(DeserializationContext ctxt, JavaType type) {
        if (type.isJavaLangObject() || JsonNode.class.isAssignableFrom(type.getRawClass())) {
            return Optional.empty();
        }
        JsonDeserializer<Object> deser;
        try {
            deser = ctxt.findRootValueDeserializer(type);
        } catch (JsonMappingException e) {
            return Optional.empty();
        }
        if (!(deser instanceof BeanDeserializerBase bean)) {
            return Optional.empty();
        }
        ValueInstantiator instantiator = bean.getValueInstantiator();
        if (instantiator != null && instantiator.canCreateUsingDelegate()) {
            return Optional.empty();
        }
        return Optional.of(bean);
    }

    private static List<String> names(BeanDeserializerBase deser) {
        List<String> names = new ArrayList<>();
        for (Iterator<SettableBeanProperty> it = deser.properties(); it.hasNext(); ) {
            names.add(it.next().getName());
        }
        return names;
    }

    /** The known name closest to {@code name}, when it is close enough to be a typo ({@link Suggestions}). */
    static Optional<String> closest(String name, Collection<String> known) {
        return Suggestions.closest(name, known);
    }

    /** The keys of {@code object} that are not in {@code known}, as unknown fields under {@code path}. */
    static void unknownKeys(JsonNode object, List<String> known, Path path, List<UnknownField> out) {
        for (Map.Entry<String, JsonNode> e : object.properties()) {
            if (!known.contains(e.getKey())) {
                out.add(new UnknownField(child(path, e.getKey()).toString(), closest(e.getKey(), known)));
            }
        }
    }

    /** {@code path.name}, or {@code path["name"]} for a key that is not a plain name (empty, dots, spaces, ...). */
    private static Path child(Path path, String name) {
        return PLAIN_NAME.matcher(name).matches() ? path.field(name) : path.key(name);
    }

    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_$@][A-Za-z0-9_$@-]*");
}
