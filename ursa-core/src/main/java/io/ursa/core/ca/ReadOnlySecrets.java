package io.ursa.core.ca;

import static java.util.Objects.requireNonNull;

import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.store.ResourceReader;
import java.util.Optional;

/**
 * Secrets read straight from a store or from one snapshot of it ({@link ResourceReader}), for those who read a
 * mesh's CA without writing anything: the xDS side that signs proxy certificates and the API that shows the CA.
 * Creating a Secret is refused (the mesh manager ensures a builtin CA's Secrets when the mesh is written).
 * Thread-safe when the reader is (a store is; a snapshot's reader serves the thread of its snapshot).
 */
public final class ReadOnlySecrets implements SecretAccess {
    private final ResourceReader store;

    public ReadOnlySecrets(ResourceReader store) {
        this.store = requireNonNull(store, "store");
    }

    @Override
    public Optional<byte[]> read(String mesh, String name) {
        return store.get(ResourceTypes.SECRET, mesh, name).map(secret -> secret.spec().bytes());
    }

    @Override
    public boolean createIfAbsent(String mesh, String name, byte[] data) {
        throw new UnsupportedOperationException("these Secrets are read-only (tried to create Secret "
                + name + " in mesh " + mesh + ")");
    }
}
