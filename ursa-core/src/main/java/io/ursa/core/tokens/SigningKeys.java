package io.ursa.core.tokens;

import static java.util.Objects.requireNonNull;

import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.secret.SecretSpec;
import io.ursa.core.manager.ResourceManager;
import io.ursa.core.store.ListQuery;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A mesh's dataplane-token signing keys (spec §4.2, §10.3): Secrets of that mesh named
 * {@code dataplane-token-signing-key-<mesh>-<serial>}, where serial 0 is the legacy name without a suffix. New
 * tokens are signed with the key of the highest serial; a token names its key's serial in its {@code kid}.
 * Reads go through the manager on every call, so a rotated or removed key counts at once. Thread-safe.
 */
final class SigningKeys {
    static final String PREFIX = "dataplane-token-signing-key-";

    /** A key and the serial its Secret's name carries. */
    record SigningKey(int serial, RSAPrivateCrtKey privateKey) {
        SigningKey {
            requireNonNull(privateKey, "privateKey");
        }
    }

    private final ResourceManager manager;

    SigningKeys(ResourceManager manager) {
        this.manager = requireNonNull(manager, "manager");
    }

    static String secretName(String mesh, int serial) {
        return serial == 0 ? PREFIX + mesh : PREFIX + mesh + "-" + serial;
    }

    /** The key with the highest serial among the mesh's signing-key Secrets. */
    Optional<SigningKey> latest(String mesh) {
        Resource<SecretSpec> latest = null;
        int highest = -1;
        for (Resource<SecretSpec> secret : manager.list(ResourceTypes.SECRET,
                ListQuery.inMesh(mesh).named(PREFIX + mesh)).items()) {
            OptionalInt serial = serialOf(mesh, secret.name());
            if (serial.isPresent() && serial.getAsInt() > highest) {
                highest = serial.getAsInt();
                latest = secret;
            }
        }
        return latest == null ? Optional.empty() : Optional.of(keyOf(latest, highest));
    }

    /** The key whose Secret carries {@code serial}. */
    Optional<SigningKey> bySerial(String mesh, int serial) {
        return manager.get(ResourceTypes.SECRET, mesh, secretName(mesh, serial)).map(s -> keyOf(s, serial));
    }

    /** The serial of a signing-key Secret's name; empty for any other name. */
    static OptionalInt serialOf(String mesh, String secretName) {
        String prefix = PREFIX + mesh;
        if (secretName.equals(prefix)) {
            return OptionalInt.of(0);
        }
        if (!secretName.startsWith(prefix + "-")) {
            return OptionalInt.empty();
        }
        String suffix = secretName.substring(prefix.length() + 1);
        if (suffix.isEmpty() || suffix.length() > 9 || !suffix.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(Integer.parseInt(suffix));
    }

    private static SigningKey keyOf(Resource<SecretSpec> secret, int serial) {
        try {
            return new SigningKey(serial, RsaKeys.parsePrivateKey(secret.spec().bytes()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Secret \"" + secret.name() + "\" in mesh \"" + secret.mesh()
                    + "\" does not hold an RSA private key: " + e.getMessage(), e);
        }
    }
}
