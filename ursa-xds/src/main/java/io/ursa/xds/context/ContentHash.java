package io.ursa.xds.context;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursa.api.codec.Json;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceKey;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The content hash of a mesh's inputs: SHA-256 over each resource's type, mesh, name and spec digest, in
 * (type, mesh, name) order, where the spec digest is the SHA-256 of its deterministic JSON (keys sorted at every
 * level). Store bookkeeping (versions, times) is left out, so only a content change changes the hash.
 *
 * <p>A mesh is hashed on every change of any of its resources, and a large mesh has thousands of Dataplanes that
 * did not change. The digest of a resource is kept as long as the store hands out the same (immutable) resource
 * instance, so an unchanged resource is not encoded again; a store that decodes anew on every read just computes
 * it every time. Thread-safe.
 */
final class ContentHash {
    private static final Comparator<Resource<?>> ORDER = Comparator
            .comparing((Resource<?> r) -> r.type().name())
            .thenComparing(Resource::mesh)
            .thenComparing(Resource::name);

    private final ResourceCodec codec;
    /** Per mesh, the digest of each resource instance seen in its last hash. */
    private final Map<String, Map<ResourceKey, Digested>> byMesh = new ConcurrentHashMap<>();

    /** A resource instance and what it adds to its mesh's hash: its type, mesh and name, and its spec digest. */
    private record Digested(Resource<?> instance, byte[] entry) {
    }

    ContentHash(ResourceCodec codec) {
        this.codec = requireNonNull(codec, "codec");
    }

    /** The hash of the inputs of {@code mesh}. */
    String of(String mesh, List<Resource<?>> resources) {
        List<Resource<?>> sorted = new ArrayList<>(resources);
        sorted.sort(ORDER);
        Map<ResourceKey, Digested> previous = byMesh.getOrDefault(mesh, Map.of());
        Map<ResourceKey, Digested> current = new HashMap<>();
        MessageDigest hash = sha256();
        for (Resource<?> resource : sorted) {
            Digested known = previous.get(resource.key());
            if (known == null || known.instance() != resource) {
                known = new Digested(resource, entry(resource));
            }
            current.put(resource.key(), known);
            hash.update(known.entry());
        }
        byMesh.put(mesh, current);
        return HexFormat.of().formatHex(hash.digest());
    }

    /** Forgets what was kept for {@code mesh} (e.g. once it is gone). */
    void forget(String mesh) {
        byMesh.remove(mesh);
    }

    private byte[] specDigest(Resource<?> resource) {
        try {
            return sha256().digest(Json.json().writeValueAsBytes(sortKeys(codec.encodeSpec(resource.spec()))));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the spec of " + resource.key() + " as JSON", e);
        }
    }

    /** The length-prefixed type, mesh and name of {@code resource}, then its spec digest. */
    private byte[] entry(Resource<?> resource) {
        java.io.ByteArrayOutputStream entry = new java.io.ByteArrayOutputStream();
        for (String text : List.of(resource.type().name(), resource.mesh(), resource.name())) {
            byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            entry.writeBytes(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
            entry.writeBytes(bytes);
        }
        entry.writeBytes(specDigest(resource));
        return entry.toByteArray();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
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
