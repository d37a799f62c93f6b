package io.ursa.core.manager;

import static java.util.Objects.requireNonNull;

import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.secret.SecretSpec;
import io.ursa.core.ca.SecretAccess;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a CA plugin sees of Secrets while the mesh it serves is being created: reads see the store and the Secrets
 * the plugin has asked for so far; creates are not written but collected, in order, to be written in the same
 * transaction as the mesh ({@link TypeHooks#createdWith}). Used by one request's thread, under the mesh's lock.
 */
final class SecretsCreatedWithMesh implements SecretAccess {
    private final ResourceManager manager;
    /** The Secrets to create, by (mesh, name), in the order the plugin asked for them. */
    private final Map<List<String>, Resource<SecretSpec>> created = new LinkedHashMap<>();

    SecretsCreatedWithMesh(ResourceManager manager) {
        this.manager = requireNonNull(manager, "manager");
    }

    @Override
    public Optional<byte[]> read(String mesh, String name) {
        Resource<SecretSpec> pending = created.get(List.of(mesh, name));
        if (pending != null) {
            return Optional.of(pending.spec().bytes());
        }
        return manager.get(ResourceTypes.SECRET, mesh, name).map(secret -> secret.spec().bytes());
    }

    /** Collects the Secret unless it is stored or collected already; says whether it collected it. */
    @Override
    public boolean createIfAbsent(String mesh, String name, byte[] data) {
        if (read(mesh, name).isPresent()) {
            return false;
        }
        created.put(List.of(mesh, name), Resource.of(ResourceTypes.SECRET, mesh, name, SecretSpec.of(data)));
        return true;
    }

    /** The Secrets collected, in order. */
    List<Resource<?>> created() {
        return List.copyOf(created.values());
    }
}
