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
 *   <li>user tokens: GlobalSecrets {@code user-token-signing-key-<serial>} and {@code user-token-revocations}.</li>
 * </ul>
 */
record SigningKeyScope(ResourceType<SecretSpec> type, String mesh, String prefix, String revocations) {
    static final String DATAPLANE_PREFIX = "dataplane-token-signing-key-";
    static final String DATAPLANE_REVOCATIONS_PREFIX = "dataplane-token-revocations-";
    static final String USER_PREFIX = "user-token-signing-key";
    static final String USER_REVOCATIONS = "user-token-revocations";
    /** Serials are decimal and at most this long, so they always fit an {@code int}. */
    private static final int MAX_SERIAL_DIGITS = 9;

    SigningKeyScope {
        requireNonNull(type, "type");
        requireNonNull(mesh, "mesh");
        requireNonNull(prefix, "prefix");
        requireNonNull(revocations, "revocations");
    }

    /** The keys of the dataplane tokens of {@code mesh}. */
    static SigningKeyScope dataplane(String mesh) {
        return new SigningKeyScope(ResourceTypes.SECRET, mesh, DATAPLANE_PREFIX + mesh,
                DATAPLANE_REVOCATIONS_PREFIX + mesh);
    }

    /** The keys of user tokens, global to the control plane. */
    static SigningKeyScope user() {
        return new SigningKeyScope(ResourceTypes.GLOBAL_SECRET, "", USER_PREFIX, USER_REVOCATIONS);
    }

    String secretName(int serial) {
        return serial == 0 ? prefix : prefix + "-" + serial;
    }

    /** The serial of a signing-key secret's name; empty for any other name. */
    OptionalInt serialOf(String secretName) {
        if (secretName.equals(prefix)) {
            return OptionalInt.of(0);
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

    /** Whose keys these are, for messages: {@code mesh "demo"} or {@code user tokens}. */
    String owner() {
        return mesh.isEmpty() ? "user tokens" : "mesh \"" + mesh + "\"";
    }
}
