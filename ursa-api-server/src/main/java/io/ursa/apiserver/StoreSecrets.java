package io.ursa.apiserver;

import static java.util.Objects.requireNonNull;

import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.ca.SecretAccess;
import io.ursa.core.store.ResourceStore;
import java.util.Optional;

/**
 * The API's window on Secrets for CA plugins: it reads a mesh's CA material to show the CA, and never creates
 * any (the mesh manager ensures a builtin CA's Secrets when the mesh is written). Thread-safe when the store is.
 */
final class StoreSecrets implements SecretAccess {
    private final ResourceStore store;

    StoreSecrets(ResourceStore store) {
        this.store = requireNonNull(store, "store");
    }

    @Override
    public Optional<byte[]> read(String mesh, String name) {
        return store.get(ResourceTypes.SECRET, mesh, name).map(secret -> secret.spec().bytes());
    }

    @Override
    public boolean createIfAbsent(String mesh, String name, byte[] data) {
        throw new UnsupportedOperationException("the API only reads a CA's Secrets (tried to create Secret "
                + name + " in mesh " + mesh + ")");
    }
}
