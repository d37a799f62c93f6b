package io.ursa.core.manager;

import static java.util.Objects.requireNonNull;

import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceKey;
import io.ursa.api.resource.ResourceMeta;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.resource.Spec;
import io.ursa.api.validation.NameRules;
import io.ursa.api.validation.Violations;
import io.ursa.core.store.AlreadyExistsException;
import io.ursa.core.store.ConflictException;
import io.ursa.core.store.ListQuery;
import io.ursa.core.store.NotFoundException;
import io.ursa.core.store.ResourcePage;
import io.ursa.core.store.ResourceStore;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import io.ursa.core.ca.CaPlugin;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The one way resources are written. Every create and update runs the same pipeline: defaults, name and spec
 * validation (all violations at once), the mesh must exist, type-specific checks ({@link TypeHooks}), then the
 * store write, then follow-up writes. A new resource's companions (a new mesh's default resources,
 * {@link TypeHooks#createdWith}) go through the same pipeline and are written in the same store transaction.
 * Deletes run the type's guards first. Thread-safe: writes of a Mesh hold its lock exclusively, writes inside a
 * mesh hold it shared ({@link MeshLocks}); reads go straight to the store.
 */
public final class ResourceManager {
    /** How often a plain PUT retries when a concurrent write of the same resource got in first. */
    private static final int UNCONDITIONAL_ATTEMPTS = 3;

    private final ResourceStore store;
    private final Clock clock;
    private final MeshLocks locks = new MeshLocks();
    private final Map<ResourceType<?>, TypeHooks<?>> hooks = new HashMap<>();

    ResourceManager(ResourceStore store, Clock clock) {
        this.store = requireNonNull(store, "store");
        this.clock = requireNonNull(clock, "clock");
    }

    /**
     * A manager over {@code store} with every type's rules wired in: mesh CA validation and defaults, dataplane
     * admission, secret guards. {@code caPlugins} are the CA backend types meshes may use.
     */
    public static ResourceManager create(ResourceStore store, Clock clock, List<CaPlugin> caPlugins) {
        ResourceManager manager = new ResourceManager(store, clock);
        CaBackends caBackends = new CaBackends(caPlugins, new ManagedSecrets(manager));
        DefaultMeshResources defaults = new DefaultMeshResources(new ResourceCodec(ResourceTypes.standard()));
        manager.register(ResourceTypes.MESH, new MeshHooks(manager, caBackends, defaults));
        manager.register(ResourceTypes.DATAPLANE, new DataplaneAdmission(manager));
        manager.register(ResourceTypes.SECRET, new SecretHooks(manager, caBackends));
        return manager;
    }

    <S extends Spec> void register(ResourceType<S> type, TypeHooks<S> typeHooks) {
        hooks.put(type, typeHooks);
    }

    public ResourceStore store() {
        return store;
    }

    public <S extends Spec> Optional<Resource<S>> get(ResourceType<S> type, String mesh, String name) {
        return store.get(type, type.isMeshScoped() ? mesh : "", name);
    }

    public <S extends Spec> ResourcePage<S> list(ResourceType<S> type, ListQuery query) {
        return store.list(type, query);
    }

    /** Creates a new resource; fails if it exists. */
    public <S extends Spec> Resource<S> create(ResourceType<S> type, String mesh, String name, S spec) {
        Resource<S> resource = prepare(type, mesh, name, spec);
        try (MeshLocks.Held held = locks.lockFor(type, mesh, name)) {
            requireMesh(resource);
            return createLocked(resource);
        }
    }

    /**
     * Creates the resource, or replaces the spec of the existing one. With {@code expectedVersion} the update
     * only happens if the stored version is still that one ({@link ConflictException} otherwise). A spec equal to
     * the stored one after defaults ({@link SameSpec}) is {@link UpsertResult.Outcome#UNCHANGED}: nothing is
     * written, so the version stays and watchers see no change.
     */
    public <S extends Spec> UpsertResult<S> upsert(ResourceType<S> type, String mesh, String name, S spec,
                                                   OptionalLong expectedVersion) {
        Resource<S> resource = prepare(type, mesh, name, spec);
        try (MeshLocks.Held held = locks.lockFor(type, resource.mesh(), name)) {
            requireMesh(resource);
            for (int attempt = 1; ; attempt++) {
                try {
                    return upsertLocked(resource, expectedVersion);
                } catch (AlreadyExistsException | ConflictException e) {
                    // Another write of the same resource got in first: not from this manager, whose writes of one
                    // resource are serialized (MeshLocks), but through the same store. A conditional write reports
                    // it; an unconditional one (a plain PUT) is a replace, so it goes on top of the other write.
                    if (expectedVersion.isPresent() || attempt == UNCONDITIONAL_ATTEMPTS) {
                        throw e;
                    }
                }
            }
        }
    }

    /**
     * What {@link #upsert} would decide, without writing anything (a dry run): defaults and validation, the mesh,
     * the version check and the type's checks before a create or an update. Side effects of a real write (a mesh's
     * CA and default policies) are not run.
     *
     * @return {@link UpsertResult.Outcome#CREATED}, {@link UpsertResult.Outcome#UPDATED} or
     *         {@link UpsertResult.Outcome#UNCHANGED}, as {@link #upsert} would answer
     */
    public <S extends Spec> UpsertResult.Outcome checkUpsert(ResourceType<S> type, String mesh, String name, S spec,
                                                          OptionalLong expectedVersion) {
        Resource<S> resource = prepare(type, mesh, name, spec);
        requireMesh(resource);
        Optional<Resource<S>> current = store.get(type, resource.mesh(), resource.name());
        Violations violations = new Violations();
        if (current.isEmpty()) {
            if (expectedVersion.isPresent()) {
                throw new NotFoundException(resource.key());
            }
            hooksOf(type).beforeCreate(resource, violations);
            violations.throwIfAny();
            return UpsertResult.Outcome.CREATED;
        }
        Resource<S> old = current.get();
        long version = expectedVersion.orElse(old.meta().version());
        if (version != old.meta().version()) {
            throw new ConflictException(old.key(), version, old.meta().version());
        }
        if (SameSpec.of(old.spec(), resource.spec())) {
            return UpsertResult.Outcome.UNCHANGED;
        }
        hooksOf(type).beforeUpdate(old, resource.withMeta(old.meta()), violations);
        violations.throwIfAny();
        return UpsertResult.Outcome.UPDATED;
    }

    private <S extends Spec> UpsertResult<S> upsertLocked(Resource<S> resource, OptionalLong expectedVersion) {
        ResourceType<S> type = resource.type();
        Optional<Resource<S>> current = store.get(type, resource.mesh(), resource.name());
        if (current.isEmpty()) {
            if (expectedVersion.isPresent()) {
                throw new NotFoundException(resource.key());
            }
            return new UpsertResult<>(createLocked(resource), UpsertResult.Outcome.CREATED);
        }
        Resource<S> old = current.get();
        long version = expectedVersion.orElse(old.meta().version());
        if (version != old.meta().version()) {
            throw new ConflictException(old.key(), version, old.meta().version());
        }
        if (SameSpec.of(old.spec(), resource.spec())) {
            return new UpsertResult<>(old, UpsertResult.Outcome.UNCHANGED);
        }
        Resource<S> updated = resource.withMeta(new ResourceMeta(resource.mesh(), resource.name(), version,
                old.meta().creationTime(), now()));
        Violations violations = new Violations();
        hooksOf(type).beforeUpdate(old, updated, violations);
        violations.throwIfAny();
        Resource<S> stored = store.update(updated);
        hooksOf(type).afterUpdate(stored);
        return new UpsertResult<>(stored, UpsertResult.Outcome.UPDATED);
    }

    /** Deletes a resource after its type's guards agree (a mesh with dataplanes is refused, for example). */
    public void delete(ResourceType<?> type, String mesh, String name) {
        deleteTyped(type, type.isMeshScoped() ? mesh : "", name);
    }

    private <S extends Spec> void deleteTyped(ResourceType<S> type, String mesh, String name) {
        try (MeshLocks.Held held = locks.lockFor(type, mesh, name)) {
            Resource<S> current = store.get(type, mesh, name)
                    .orElseThrow(() -> new NotFoundException(new ResourceKey(type, mesh, name)));
            Violations violations = new Violations();
            hooksOf(type).beforeDelete(current, violations);
            violations.throwIfAny();
            store.delete(current.key());
        }
    }

    /**
     * Creates the resource through the full create pipeline unless it exists, and says whether it did; used for
     * defaults that must never overwrite a user's edit. Several control planes on one store may call it at once:
     * exactly one of them creates the resource, and the others answer false.
     */
    public <S extends Spec> boolean createIfAbsent(ResourceType<S> type, String mesh, String name, S spec) {
        Resource<S> resource = prepare(type, mesh, name, spec);
        try (MeshLocks.Held held = locks.lockFor(type, mesh, name)) {
            requireMesh(resource);
            if (store.get(type, resource.mesh(), name).isPresent()) {
                return false;
            }
            try {
                createLocked(resource);
                return true;
            } catch (AlreadyExistsException e) {
                // another control plane on the same store created it between the read and the write
                return false;
            }
        }
    }

    /** Defaults and stateless validation (names and spec); pure, so it runs before any lock is taken. */
    private <S extends Spec> Resource<S> prepare(ResourceType<S> type, String mesh, String name, S spec) {
        requireNonNull(type, "type");
        requireNonNull(mesh, "mesh");
        requireNonNull(name, "name");
        requireNonNull(spec, "spec");
        String meshOfResource = type.isMeshScoped() ? mesh : "";
        S defaulted = type.applyDefaults(spec);
        Violations violations = new Violations();
        NameRules.validate(type, meshOfResource, name, violations);
        type.validator().validate(defaulted, violations);
        violations.throwIfAny();
        return Resource.of(type, meshOfResource, name, defaulted);
    }

    /** A mesh-scoped resource's mesh must exist; called with the mesh's lock held so it cannot vanish. */
    private void requireMesh(Resource<?> resource) {
        if (resource.type().isMeshScoped() && store.get(ResourceTypes.MESH, "", resource.mesh()).isEmpty()) {
            throw new MeshNotFoundException(resource.mesh());
        }
    }

    private <S extends Spec> Resource<S> createLocked(Resource<S> resource) {
        Violations violations = new Violations();
        TypeHooks<S> typeHooks = hooksOf(resource.type());
        typeHooks.beforeCreate(resource, violations);
        violations.throwIfAny();
        Instant now = now();
        Resource<S> timed = resource.withMeta(resource.meta().withTimes(now, now));
        List<Companion> companions = new ArrayList<>();
        for (Companion companion : typeHooks.createdWith(timed)) {
            companions.add(companion.withResource(checkedCompanion(companion.resource(), resource, now)));
        }
        Resource<S> stored = companions.isEmpty() ? store.create(timed) : createWithCompanions(timed, companions);
        requireMeshAfterCreate(stored);
        typeHooks.afterCreate(stored);
        return stored;
    }

    /**
     * A resource to create with {@code created} through the create pipeline of its type, short of the write:
     * defaults, validation, its mesh (unless that is {@code created}, in the same transaction) and its type's
     * checks; stamped with the same time.
     */
    private <S extends Spec> Resource<S> checkedCompanion(Resource<S> companion, Resource<?> created, Instant now) {
        Resource<S> prepared = prepare(companion.type(), companion.mesh(), companion.name(), companion.spec());
        boolean meshInSameWrite = created.type() == ResourceTypes.MESH && prepared.mesh().equals(created.name());
        if (!meshInSameWrite) {
            requireMesh(prepared);
        }
        Violations violations = new Violations();
        hooksOf(prepared.type()).beforeCreate(prepared, violations);
        violations.throwIfAny();
        return prepared.withMeta(prepared.meta().withTimes(now, now));
    }

    /**
     * Creates {@code resource} and its companions in one store transaction ({@link ResourceStore#createAll}), then
     * runs each companion's after-create steps (its type's, then its own). If the resource's own key is taken, that
     * fails as a lone create would. If only a companion's is (another control plane on the same store created it
     * since it was found missing), nothing was written, and they are written one at a time as before, leaving the
     * existing ones alone (their after-create steps are not run). Companions certainly not written because of a
     * taken name run their {@link Companion#notWritten} step (a signing key goes back to the key pool).
     */
    @SuppressWarnings("unchecked")
    private <S extends Spec> Resource<S> createWithCompanions(Resource<S> resource, List<Companion> companions) {
        List<Resource<?>> batch = new ArrayList<>(companions.size() + 1);
        batch.add(resource);
        companions.forEach(companion -> batch.add(companion.resource()));
        List<Resource<?>> stored;
        try {
            stored = store.createAll(batch);
        } catch (AlreadyExistsException e) {
            if (e.key().equals(resource.key())) {
                companions.forEach(companion -> companion.notWritten().run());
                throw e;
            }
            Resource<S> created = store.create(resource);
            for (Companion companion : companions) {
                try {
                    afterCreate(store.create(companion.resource()), companion);
                } catch (AlreadyExistsException taken) {
                    // created by another control plane meanwhile: kept as it is
                    companion.notWritten().run();
                }
            }
            return created;
        }
        for (int i = 0; i < companions.size(); i++) {
            afterCreate(stored.get(i + 1), companions.get(i));
        }
        return (Resource<S>) stored.get(0);
    }

    private <S extends Spec> void afterCreate(Resource<S> stored, Companion companion) {
        hooksOf(stored.type()).afterCreate(stored);
        companion.afterWritten().run();
    }

    /**
     * The mesh lock is this process's; another control plane on the same store may have deleted the mesh between
     * {@link #requireMesh} and the create, its cascade missing the new resource. A store shared by several control
     * planes holds the mesh's row while it creates into it, so a deletion still in progress waits for the create
     * and takes the new resource with it; one that committed before is seen here, and the orphan is removed.
     */
    private void requireMeshAfterCreate(Resource<?> created) {
        if (!created.type().isMeshScoped() || store.get(ResourceTypes.MESH, "", created.mesh()).isPresent()) {
            return;
        }
        try {
            store.delete(created.key());
        } catch (NotFoundException alreadyGone) {
            // the mesh's deletion took it
        }
        throw new MeshNotFoundException(created.mesh());
    }

    @SuppressWarnings("unchecked")
    private <S extends Spec> TypeHooks<S> hooksOf(ResourceType<S> type) {
        TypeHooks<?> h = hooks.get(type);
        return h == null ? new TypeHooks<>() { } : (TypeHooks<S>) h;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
