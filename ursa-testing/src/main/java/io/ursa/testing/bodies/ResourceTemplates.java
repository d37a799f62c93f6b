package io.ursa.testing.bodies;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One valid Universal-form document of every resource type, the starting point of generated request bodies. Read
 * from {@code templates.yaml} next to this class; every template must decode and validate, and every type of
 * {@link ResourceTypes#standard()} must have one, or construction fails.
 */
public final class ResourceTemplates {
    private final ResourceCodec codec;
    private final Map<String, ObjectNode> byType = new HashMap<>();

    public ResourceTemplates(ResourceCodec codec) {
        this.codec = codec;
        for (JsonNode doc : codec.parseYamlDocuments(read())) {
            String type = doc.path("type").asText();
            if (byType.putIfAbsent(type, (ObjectNode) doc) != null) {
                throw new IllegalStateException("templates.yaml has two documents of type " + type);
            }
        }
        for (ResourceType<?> type : codec.types().all()) {
            ObjectNode template = byType.get(type.name());
            if (template == null) {
                throw new IllegalStateException("templates.yaml has no document of type " + type.name());
            }
        }
    }

    /** Every type with a template, in the registry's order. */
    public List<ResourceType<?>> types() {
        return codec.types().all();
    }

    /** A fresh copy of {@code type}'s template named {@code name}, in {@code mesh} when the type is mesh-scoped. */
    public ObjectNode universal(ResourceType<?> type, String mesh, String name) {
        ObjectNode template = byType.get(type.name());
        if (template == null) {
            throw new IllegalArgumentException("no template of type " + type.name());
        }
        ObjectNode doc = template.deepCopy();
        doc.remove(List.of("type", "mesh", "name"));
        ObjectNode out = doc.objectNode();
        out.put("type", type.name());
        if (type.isMeshScoped()) {
            out.put("mesh", mesh);
        }
        out.put("name", name);
        out.setAll(doc);
        return out;
    }

    private static String read() {
        try (InputStream in = ResourceTemplates.class.getResourceAsStream("templates.yaml")) {
            if (in == null) {
                throw new IllegalStateException("templates.yaml is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
