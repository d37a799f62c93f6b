package io.ursa.core.tokens;

import static java.util.Objects.requireNonNull;

import io.ursa.api.resource.Resource;
import io.ursa.api.secret.SecretSpec;
import io.ursa.core.manager.ResourceManager;
import io.ursa.core.store.ListQuery;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The signing keys of one {@link SigningKeyScope}: a mesh's dataplane-token keys (spec §4.2, §10.3) or the
 * control plane's user-token keys. New tokens are signed with the key of the highest serial; a token names its
 * key's serial in its {@code kid}. Reads go through the manager on every call, so a rotated or removed key counts
 * at once. Thread-safe.
 */
final class SigningKeys {
    /** A key and the serial its secret's name carries. */
    record SigningKey(int serial, RSAPrivateCrtKey privateKey) {
        SigningKey {
            requireNonNull(privateKey, "privateKey");
        }
    }

    private final ResourceManager manager;
    private final SigningKeyScope scope;

    SigningKeys(ResourceManager manager, SigningKeyScope scope) {
        this.manager = requireNonNull(manager, "manager");
        this.scope = requireNonNull(scope, "scope");
    }

    SigningKeyScope scope() {
        return scope;
    }

    /** The key with the highest serial among the scope's signing-key secrets. */
    Optional<SigningKey> latest() {
        return latestSerial().stream().boxed().findFirst().flatMap(this::bySerial);
    }

    /** The highest serial among the scope's signing-key secrets. */
    OptionalInt latestSerial() {
        int highest = -1;
        for (Resource<SecretSpec> secret : manager.list(scope.type(),
                ListQuery.inMesh(scope.mesh()).named(scope.prefix())).items()) {
            OptionalInt serial = scope.serialOf(secret.name());
            if (serial.isPresent() && serial.getAsInt() > highest) {
                highest = serial.getAsInt();
            }
        }
        return highest < 0 ? OptionalInt.empty() : OptionalInt.of(highest);
    }

    /** The key whose secret carries {@code serial}. */
    Optional<SigningKey> bySerial(int serial) {
        return manager.get(scope.type(), scope.mesh(), scope.secretName(serial)).map(s -> keyOf(s, serial));
    }

    private SigningKey keyOf(Resource<SecretSpec> secret, int serial) {
        try {
            return new SigningKey(serial, RsaKeys.parsePrivateKey(secret.spec().bytes()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(scope.describeSecret(serial) + " does not hold an RSA private key: "
                    + e.getMessage(), e);
        }
    }
}
