package io.ursa.ca;

import io.ursa.core.ca.SecretAccess;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Secrets of meshes held in a map; each test builds its own. */
final class InMemorySecrets implements SecretAccess {
    private final Map<String, byte[]> secrets = new HashMap<>();

    InMemorySecrets put(String mesh, String name, byte[] data) {
        secrets.put(mesh + "/" + name, data.clone());
        return this;
    }

    @Override
    public Optional<byte[]> read(String mesh, String name) {
        return Optional.ofNullable(secrets.get(mesh + "/" + name)).map(byte[]::clone);
    }

    @Override
    public boolean createIfAbsent(String mesh, String name, byte[] data) {
        return secrets.putIfAbsent(mesh + "/" + name, data.clone()) == null;
    }
}
