package io.ursa.xds.context;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursa.api.codec.Json;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.resource.Resource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * The content hash of a mesh's inputs: SHA-256 over the deterministic JSON (keys sorted at every level) of each
 * resource's type, mesh, name and spec, in (type, name) order. Store bookkeeping (versions, times) is left out,
 * so only a content change changes the hash.
 */
final class ContentHash {
    private static final Comparator<Resource<?>> ORDER = Comparator
            .comparing((Resource<?> r) -> r.type().name())
            .thenComparing(Resource::mesh)
            .thenComparing(Resource::name);

    private ContentHash() {
    }

    static String of(List<Resource<?>> resources, ResourceCodec codec) {
        List<Resource<?>> sorted = new ArrayList<>(resources);
        sorted.sort(ORDER);
        ArrayNode all = Json.json().createArrayNode();
        for (Resource<?> resource : sorted) {
            ObjectNode node = all.addObject();
            node.put("type", resource.type().name());
            node.put("mesh", resource.mesh());
            node.put("name", resource.name());
            node.set("spec", codec.encodeSpec(resource.spec()));
        }
        try {
            byte[] json = Json.json().writeValueAsBytes(sortKeys(all));
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the mesh inputs as JSON", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** The hash of {@code hash} followed by {@code more}: a content hash that also covers {@code more}. */
    static String combine(String hash, String more) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(hash.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            digest.update((byte) '|');
            digest.update(more.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** A copy of {@code node} with the keys of every object sorted. */
    static JsonNode sortKeys(JsonNode node) {
        if (node instanceof ObjectNode object) {
            ObjectNode sorted = Json.json().createObjectNode();
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            names.sort(Comparator.naturalOrder());
            names.forEach(name -> sorted.set(name, sortKeys(object.get(name))));
            return sorted;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode copy = Json.json().createArrayNode();
            array.forEach(element -> copy.add(sortKeys(element)));
            return copy;
        }
        return node;
    }
}
