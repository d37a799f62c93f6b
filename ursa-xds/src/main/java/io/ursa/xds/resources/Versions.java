package io.ursa.xds.resources;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Message;
import io.ursa.xds.envoy.Protos;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import java.util.function.Function;

/**
 * Content versions of a {@link ResourceSet}, one per {@link EnvoyType}: the hex SHA-256 over the name-sorted
 * resources, each as its length-prefixed name and its {@link #digest} (the SHA-256 of its deterministic protobuf
 * serialization, which a caller may remember per resource instance shared by many proxies). The same
 * content gives the same version in every JVM and replica (never {@code hashCode()}), and a change to one type
 * leaves the other types' versions alone.
 */
public record Versions(Map<EnvoyType, String> byType) {

    public Versions {
        requireNonNull(byType, "byType");
        for (EnvoyType type : EnvoyType.values()) {
            if (!byType.containsKey(type)) {
                throw new IllegalArgumentException("missing version of " + type + " (expected: one per type)");
            }
        }
        byType = Collections.unmodifiableMap(new EnumMap<>(byType));
    }

    /** The versions of every type of {@code resources}; a type without resources has the hash of no input. */
    public static Versions of(ResourceSet resources) {
        return of(resources, Versions::digest);
    }

    /**
     * {@link #of(ResourceSet)} with each resource's digest from {@code digests}, which must return
     * {@link #digest} of its argument (or a remembered copy of it).
     */
    public static Versions of(ResourceSet resources, Function<Message, byte[]> digests) {
        requireNonNull(resources, "resources");
        requireNonNull(digests, "digests");
        Map<EnvoyType, String> versions = new EnumMap<>(EnvoyType.class);
        for (EnvoyType type : EnvoyType.values()) {
            versions.put(type, hash(resources.byName(type), digests));
        }
        return new Versions(versions);
    }

    /**
     * {@link #of(ResourceSet, Function)}, except that a type for which {@code known} returns a version takes that
     * version without hashing: the caller knows the type's content is the one that version was computed from (e.g.
     * the same resource instances as in the proxy's current snapshot). {@code known} returns null otherwise.
     */
    public static Versions of(ResourceSet resources, Function<Message, byte[]> digests,
                              Function<EnvoyType, String> known) {
        requireNonNull(resources, "resources");
        requireNonNull(digests, "digests");
        requireNonNull(known, "known");
        Map<EnvoyType, String> versions = new EnumMap<>(EnvoyType.class);
        for (EnvoyType type : EnvoyType.values()) {
            String version = known.apply(type);
            versions.put(type, version != null ? version : hash(resources.byName(type), digests));
        }
        return new Versions(versions);
    }

    /** The SHA-256 of the resource's deterministic protobuf serialization. */
    public static byte[] digest(Message resource) {
        return sha256().digest(Protos.deterministicBytes(resource));
    }

    /** The version of one type. */
    public String of(EnvoyType type) {
        return byType.get(requireNonNull(type, "type"));
    }

    private static String hash(SortedMap<String, Message> resources, Function<Message, byte[]> digests) {
        MessageDigest digest = sha256();
        resources.forEach((name, resource) -> {
            update(digest, name.getBytes(StandardCharsets.UTF_8));
            digest.update(digests.apply(resource));
        });
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The length as four big-endian bytes, then the bytes. */
    private static void update(MessageDigest digest, byte[] bytes) {
        int length = bytes.length;
        digest.update((byte) (length >>> 24));
        digest.update((byte) (length >>> 16));
        digest.update((byte) (length >>> 8));
        digest.update((byte) length);
        digest.update(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
