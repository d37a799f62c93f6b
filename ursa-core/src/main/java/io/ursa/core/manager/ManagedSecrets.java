package io.ursa.core.manager;

import static java.util.Objects.requireNonNull;

import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.secret.SecretSpec;
import io.ursa.core.ca.SecretAccess;
import java.util.Optional;

/** CA plugins' access to Secrets, through the manager so writes get the usual checks and events. */
final class ManagedSecrets implements SecretAccess {
    private final ResourceManager manager;

    ManagedSecrets(ResourceManager manager) {
        this.manager = requireNonNull(manager, "manager");
    }

    @Override
    public Optional<byte[]> read(String mesh, String name) {
        return manager.get(ResourceTypes.SECRET, mesh, name).map(secret -> secret.spec().bytes());
    }

    @Override
    public boolean createIfAbsent(String mesh, String name, byte[] data) {
        return manager.createIfAbsent(ResourceTypes.SECRET, mesh, name, SecretSpec.of(data));
    }
}
