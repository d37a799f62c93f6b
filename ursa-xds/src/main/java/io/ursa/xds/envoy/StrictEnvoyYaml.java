package io.ursa.xds.envoy;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.ursa.api.codec.Json;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Envoy resources written as YAML (proto JSON field names, {@code '@type'} in every {@code Any}), parsed strictly
 * into their typed protos: an unknown field, a value of the wrong type or an {@code Any} of a type Ursa cannot
 * find fails with what is wrong. Kuma 2.0 ignores unknown fields ({@code util_proto.FromYAML}); Ursa refuses them,
 * so that a misspelled field is an error rather than a silent no-op. Stateless.
 */
public final class StrictEnvoyYaml {
    private static final String TYPE = "@type";

    private StrictEnvoyYaml() {
    }

    /**
     * {@code yaml} as a message of {@code prototype}'s type; empty YAML gives the empty message.
     *
     * @throws IllegalArgumentException saying what does not parse
     */
    public static <M extends Message> M parse(String yaml, M prototype) {
        requireNonNull(prototype, "prototype");
        JsonNode tree = read(yaml);
        return merge(tree, prototype);
    }

    /**
     * A complete resource naming its own type in a top-level {@code '@type'}, e.g. a ProxyTemplate's raw resource.
     *
     * @throws IllegalArgumentException when the type is missing or unknown, or the rest does not parse into it
     */
    public static Message parseTyped(String yaml) {
        JsonNode tree = read(yaml);
        String typeUrl = tree.path(TYPE).asText("");
        if (typeUrl.isEmpty()) {
            throw new IllegalArgumentException("no \"@type\" (expected: e.g. "
                    + Protos.TYPE_URL_PREFIX + "envoy.config.cluster.v3.Cluster)");
        }
        Message prototype = EnvoyTypes.prototype(typeUrl).orElseThrow(() -> unknownType(typeUrl));
        ObjectNode fields = ((ObjectNode) tree).deepCopy();
        fields.remove(TYPE);
        return merge(fields, prototype);
    }

    @SuppressWarnings("unchecked")
    private static <M extends Message> M merge(JsonNode tree, M prototype) {
        JsonFormat.TypeRegistry.Builder registry = JsonFormat.TypeRegistry.newBuilder();
        Set<String> typeUrls = new TreeSet<>();
        collectTypes(tree, typeUrls);
        for (String typeUrl : typeUrls) {
            registry.add(EnvoyTypes.prototype(typeUrl).orElseThrow(() -> unknownType(typeUrl))
                    .getDescriptorForType());
        }
        Message.Builder builder = prototype.newBuilderForType();
        try {
            JsonFormat.parser().usingTypeRegistry(registry.build()).merge(tree.toString(), builder);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw new IllegalArgumentException("not a valid " + prototype.getDescriptorForType().getFullName()
                    + ": " + e.getMessage(), e);
        }
        return (M) builder.build();
    }

    private static JsonNode read(String yaml) {
        requireNonNull(yaml, "yaml");
        JsonNode tree;
        try {
            tree = Json.yaml().readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid YAML: " + e.getOriginalMessage(), e);
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            return Json.yaml().createObjectNode();
        }
        if (!tree.isObject()) {
            throw new IllegalArgumentException("expected a YAML object, got: " + tree);
        }
        return tree;
    }

    private static void collectTypes(JsonNode node, Set<String> typeUrls) {
        if (node.isObject()) {
            JsonNode type = node.get(TYPE);
            if (type != null && type.isTextual()) {
                typeUrls.add(type.asText());
            }
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                collectTypes(fields.next().getValue(), typeUrls);
            }
        } else if (node.isArray()) {
            node.forEach(element -> collectTypes(element, typeUrls));
        }
    }

    private static IllegalArgumentException unknownType(String typeUrl) {
        return new IllegalArgumentException("unknown type " + typeUrl + " (expected: the type URL of an Envoy v3 "
                + "message, e.g. " + Protos.TYPE_URL_PREFIX + "envoy.config.cluster.v3.Cluster)");
    }
}
