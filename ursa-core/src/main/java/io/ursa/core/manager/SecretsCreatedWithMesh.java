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
 * transaction as the mesh ({@link TypeHooks#createdWith}), and what the plugin wants run once a Secret is written
 * ({@link #afterWritten}) waits for that commit. Used by one request's thread, under the mesh's lock.
 */
final class SecretsCreatedWithMesh implements SecretAccess {
    private final ResourceManager manager;
    /** The Secrets to create, by (mesh, name), in the order the plugin asked for them. */
    private final Map<List<String>, Resource<SecretSpec>> created = new LinkedHashMap<>();
    /** What to run once each collected Secret is written, by (mesh, name). */
    private final Map<List<String>, List<Runnable>> afterWritten = new LinkedHashMap<>();
    private List<String> last;

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
        last = List.of(mesh, name);
        created.put(last, Resource.of(ResourceTypes.SECRET, mesh, name, SecretSpec.of(data)));
        return true;
    }

    /** Runs {@code action} after the commit that writes the Secret collected last (at once if none was). */
    @Override
    public void afterWritten(Runnable action) {
        requireNonNull(action, "action");
        if (last == null) {
            action.run();
            return;
        }
        afterWritten.computeIfAbsent(last, key -> new ArrayList<>()).add(action);
    }

    /** The Secrets collected, in order, each with what to run once it is written. */
    List<Companion> created() {
        List<Companion> companions = new ArrayList<>(created.size());
        created.forEach((key, secret) -> {
            List<Runnable> actions = afterWritten.getOrDefault(key, List.of());
            companions.add(new Companion(secret, () -> actions.forEach(Runnable::run), Companion.NOTHING));
        });
        return companions;
    }
}
