package io.ursa.core.access;

import static java.util.Objects.requireNonNull;

import io.ursa.api.access.Access;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.resource.Trait;
import io.ursa.core.event.ChangeListener;
import io.ursa.core.event.ResourceChange;
import io.ursa.core.manager.ResourceManager;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Role-based access control (Kong Mesh's RBAC) and audit selection, from the AccessRoles, AccessRoleBindings and
 * AccessAudits in the store:
 * <ul>
 *   <li>a user holds every rule of every role bound to its name (subject type {@code User}) or to one of its
 *       groups (subject type {@code Group});</li>
 *   <li>a rule grants its {@code access} on a resource when its {@code types} name the type (or are empty), its
 *       {@code names} the resource's name (or are empty), and its {@code mesh} is empty or the resource's mesh,
 *       where a Mesh's mesh is its own name and a global resource has none;</li>
 *   <li>reads are open, except of types with {@link Trait#ADMIN_ONLY} (Secret, GlobalSecret): reading one needs a
 *       rule that grants CREATE, UPDATE or DELETE on it; a list needs such a rule without {@code names}, and a
 *       list across meshes one without {@code mesh};</li>
 *   <li>GENERATE_DATAPLANE_TOKEN needs a rule whose mesh is empty or the token's, GENERATE_USER_TOKEN and
 *       GENERATE_ZONE_TOKEN a rule without mesh; their {@code types} and {@code names} play no part.</li>
 * </ul>
 * Usage, by the API on every request that needs it:
 * <pre>{@code
 * try (Authorizer authorizer = Authorizer.create(manager)) {
 *     boolean ok = authorizer.allows(user, Access.CREATE, ResourceTypes.TRAFFIC_ROUTE, "a", "route-1");
 * }
 * }</pre>
 * Thread-safe. The compiled resources are cached and read again after any change to an access resource, which the
 * store announces on the writing thread before the write returns, so a new binding counts from the next request.
 * A change that lands while the cache is being read makes the next call read again (the cache remembers the change
 * count it was read at).
 */
public final class Authorizer implements AutoCloseable {
    /** The access of a read, in refusals and audit lines; AccessAudit rules select it only with accessAll. */
    public static final String READ = "READ";
    private static final Set<ResourceType<?>> ACCESS_TYPES =
            Set.of(ResourceTypes.ACCESS_ROLE, ResourceTypes.ACCESS_ROLE_BINDING, ResourceTypes.ACCESS_AUDIT);
    private static final Set<Access> WRITES = Set.of(Access.CREATE, Access.UPDATE, Access.DELETE);

    private final ResourceManager manager;
    private final AtomicLong changes = new AtomicLong();
    private final AtomicReference<AccessSnapshot> cache = new AtomicReference<>();
    private final AutoCloseable subscription;

    private Authorizer(ResourceManager manager) {
        this.manager = manager;
        // a resync (changes may have been missed) drops the cache like a change to an access resource
        this.subscription = manager.store().subscribe(ChangeListener.of(this::onChange, changes::incrementAndGet));
    }

    /** An authorizer over {@code manager}'s store, listening to its changes until closed. */
    public static Authorizer create(ResourceManager manager) {
        return new Authorizer(requireNonNull(manager, "manager"));
    }

    /**
     * Whether {@code user} may do {@code access} (CREATE, UPDATE or DELETE) on the resource {@code name} of
     * {@code type} in {@code mesh} (ignored for global types).
     */
    public boolean allows(User user, Access access, ResourceType<?> type, String mesh, String name) {
        requireNonNull(user, "user");
        requireNonNull(access, "access");
        Target target = Target.of(type, mesh, name);
        return snapshot().grantsOf(user).stream().anyMatch(g -> g.grants(access, target));
    }

    /**
     * Whether {@code user} may read the resource {@code name} of {@code type} in {@code mesh}; an empty
     * {@code name} asks for the whole list of {@code mesh}, an empty {@code mesh} of a mesh-scoped type for every
     * mesh's.
     */
    public boolean mayRead(User user, ResourceType<?> type, String mesh, String name) {
        requireNonNull(user, "user");
        if (!type.has(Trait.ADMIN_ONLY)) {
            return true;
        }
        Target target = Target.of(type, mesh, name);
        return snapshot().grantsOf(user).stream().anyMatch(g -> WRITES.stream().anyMatch(a -> g.grants(a, target)));
    }

    /** Whether {@code user} may issue dataplane tokens of {@code mesh}. */
    public boolean allowsDataplaneToken(User user, String mesh) {
        requireNonNull(user, "user");
        requireNonNull(mesh, "mesh");
        return snapshot().grantsOf(user).stream()
                .anyMatch(g -> g.grantsInMesh(Access.GENERATE_DATAPLANE_TOKEN, mesh));
    }

    /** Whether {@code user} may issue user tokens. */
    public boolean allowsUserToken(User user) {
        requireNonNull(user, "user");
        return snapshot().grantsOf(user).stream().anyMatch(g -> g.grantsInMesh(Access.GENERATE_USER_TOKEN, ""));
    }

    /** Whether {@code user} may issue zone tokens. */
    public boolean allowsZoneToken(User user) {
        requireNonNull(user, "user");
        return snapshot().grantsOf(user).stream().anyMatch(g -> g.grantsInMesh(Access.GENERATE_ZONE_TOKEN, ""));
    }

    /**
     * Whether an AccessAudit rule selects {@code access} (an {@link Access} name or {@link #READ}) on the resource
     * {@code name} of {@code type} in {@code mesh}.
     */
    public boolean audits(String access, ResourceType<?> type, String mesh, String name) {
        requireNonNull(access, "access");
        Target target = Target.of(type, mesh, name);
        return snapshot().auditRules().stream().anyMatch(r -> r.selects(access, target.type(), target.mesh()));
    }

    /**
     * Whether an AccessAudit rule selects issuing a token ({@code access} GENERATE_DATAPLANE_TOKEN with the token's
     * {@code mesh}, or GENERATE_USER_TOKEN and GENERATE_ZONE_TOKEN with none): only rules without types do.
     */
    public boolean auditsTokenIssue(Access access, String mesh) {
        requireNonNull(access, "access");
        requireNonNull(mesh, "mesh");
        return snapshot().auditRules().stream().anyMatch(r -> r.selects(access.name(), "", mesh));
    }

    private AccessSnapshot snapshot() {
        long now = changes.get();
        AccessSnapshot cached = cache.get();
        if (cached != null && cached.generation() == now) {
            return cached;
        }
        AccessSnapshot fresh = AccessSnapshot.read(manager, now);
        cache.compareAndSet(cached, fresh);
        return fresh;
    }

    private void onChange(ResourceChange change) {
        if (ACCESS_TYPES.contains(change.key().type())) {
            changes.incrementAndGet();
        }
    }

    /** Stops listening to the store. */
    @Override
    public void close() {
        try {
            subscription.close();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop listening to the store: " + e.getMessage(), e);
        }
    }
}
