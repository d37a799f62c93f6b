package io.ursa.core.tokens;

import static java.util.Objects.requireNonNull;

import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.secret.SecretSpec;
import java.util.OptionalInt;

/**
 * Where one kind of token keeps its signing keys and its revocation list: secrets of {@code type} in {@code mesh}
 * (empty for global secrets) named {@code <prefix>-<serial>} (serial 0 is the legacy name, the bare prefix), and the
 * secret {@code revocations} holding revoked token IDs.
 * <ul>
 *   <li>dataplane tokens (spec §4.2, §10.3): Secrets {@code dataplane-token-signing-key-<mesh>-<serial>} and
 *       {@code dataplane-token-revocations-<mesh>} of each mesh;</li>
 *   <li>user tokens: GlobalSecrets {@code user-token-signing-key-<serial>} and {@code user-token-revocations};</li>
 *   <li>zone tokens (Kuma's {@code pkg/tokens/builtin/zone}): GlobalSecrets {@code zone-token-signing-key-<serial>}
 *       and {@code zone-token-revocations}. They have no legacy key: a token without {@code kid} is refused, and a
 *       secret named the bare prefix is no signing key.</li>
 * </ul>
 */
record SigningKeyScope(ResourceType<SecretSpec> type, String mesh, String prefix, String revocations,
                       String owner, KeyIdFallback keyIdFallback) {
    /** What a token without a {@code kid} header means in this scope (Kuma's {@code KeyIDFallback}). */
    enum KeyIdFallback {
        /** The legacy key of serial 0, the secret named the bare prefix (dataplane and user tokens). */
        SERIAL_ZERO,
        /** Nothing: the token is refused with Kuma's {@code missing Key ID} (zone tokens). */
        NONE
    }

    static final String DATAPLANE_PREFIX = "dataplane-token-signing-key-";
    static final String DATAPLANE_REVOCATIONS_PREFIX = "dataplane-token-revocations-";
    static final String USER_PREFIX = "user-token-signing-key";
    static final String USER_REVOCATIONS = "user-token-revocations";
    static final String ZONE_PREFIX = "zone-token-signing-key";
    static final String ZONE_REVOCATIONS = "zone-token-revocations";
    /** Serials are decimal and at most this long, so they always fit an {@code int}. */
    private static final int MAX_SERIAL_DIGITS = 9;

    SigningKeyScope {
        requireNonNull(type, "type");
        requireNonNull(mesh, "mesh");
        requireNonNull(prefix, "prefix");
        requireNonNull(revocations, "revocations");
        requireNonNull(owner, "owner");
        requireNonNull(keyIdFallback, "keyIdFallback");
    }

    /** The keys of the dataplane tokens of {@code mesh}. */
    static SigningKeyScope dataplane(String mesh) {
        return new SigningKeyScope(ResourceTypes.SECRET, mesh, DATAPLANE_PREFIX + mesh,
                DATAPLANE_REVOCATIONS_PREFIX + mesh, "mesh \"" + mesh + "\"", KeyIdFallback.SERIAL_ZERO);
    }

    /** The keys of user tokens, global to the control plane. */
    static SigningKeyScope user() {
        return new SigningKeyScope(ResourceTypes.GLOBAL_SECRET, "", USER_PREFIX, USER_REVOCATIONS, "user tokens",
                KeyIdFallback.SERIAL_ZERO);
    }

    /** The keys of zone tokens, global to the control plane. */
    static SigningKeyScope zone() {
        return new SigningKeyScope(ResourceTypes.GLOBAL_SECRET, "", ZONE_PREFIX, ZONE_REVOCATIONS, "zone tokens",
                KeyIdFallback.NONE);
    }

    String secretName(int serial) {
        return serial == 0 ? prefix : prefix + "-" + serial;
    }

    /** The serial of a signing-key secret's name; empty for any other name. */
    OptionalInt serialOf(String secretName) {
        if (secretName.equals(prefix)) {
            return keyIdFallback == KeyIdFallback.SERIAL_ZERO ? OptionalInt.of(0) : OptionalInt.empty();
        }
        if (!secretName.startsWith(prefix + "-")) {
            return OptionalInt.empty();
        }
        String suffix = secretName.substring(prefix.length() + 1);
        return parseSerial(suffix);
    }

    /** A decimal serial of at most nine digits; empty for anything else. */
    static OptionalInt parseSerial(String text) {
        if (text.isEmpty() || text.length() > MAX_SERIAL_DIGITS || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(Integer.parseInt(text));
    }

    /** The secret of {@code serial} as Kuma's messages name it: {@code Secret of name "x" in mesh "m"}. */
    String describeSecret(int serial) {
        return mesh.isEmpty()
                ? type.name() + " of name \"" + secretName(serial) + "\""
                : type.name() + " of name \"" + secretName(serial) + "\" in mesh \"" + mesh + "\"";
    }

}
