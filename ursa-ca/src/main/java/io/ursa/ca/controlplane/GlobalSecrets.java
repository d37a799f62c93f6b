package io.ursa.ca.controlplane;

import static java.util.Objects.requireNonNull;

import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.secret.SecretSpec;
import io.ursa.core.manager.ResourceManager;
import io.ursa.core.store.AlreadyExistsException;
import io.ursa.core.store.ConflictException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The control plane's GlobalSecrets, read and written through the {@link ResourceManager}. Writes never overwrite
 * blindly: a new secret is created ({@link AlreadyExistsException} when another control plane created it first)
 * and a replacement names the version it replaces ({@link ConflictException} when another control plane changed
 * it meanwhile), so the caller can read again and use what the other one wrote.
 */
final class GlobalSecrets {
    /** A stored secret: its value as text (PEM) and its version. */
    record Stored(String name, String text, long version) {
        Stored {
            requireNonNull(name, "name");
            requireNonNull(text, "text");
        }

        @Override
        public String toString() {
            return "Stored[name=" + name + ", version=" + version + "]";
        }
    }

    private final ResourceManager manager;

    GlobalSecrets(ResourceManager manager) {
        this.manager = requireNonNull(manager, "manager");
    }

    Optional<Stored> read(String name) {
        return manager.get(ResourceTypes.GLOBAL_SECRET, "", name).map(GlobalSecrets::stored);
    }

    /** @throws AlreadyExistsException when it exists already */
    Stored create(String name, String text) {
        return stored(manager.create(ResourceTypes.GLOBAL_SECRET, "", name, spec(text)));
    }

    /** @throws ConflictException when {@code current} is no longer the stored version */
    Stored replace(Stored current, String text) {
        return stored(manager.upsert(ResourceTypes.GLOBAL_SECRET, "", current.name(), spec(text),
                OptionalLong.of(current.version())).resource());
    }

    private static SecretSpec spec(String text) {
        return SecretSpec.of(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static Stored stored(Resource<SecretSpec> resource) {
        return new Stored(resource.name(), new String(resource.spec().bytes(), StandardCharsets.US_ASCII),
                resource.meta().version());
    }
}
