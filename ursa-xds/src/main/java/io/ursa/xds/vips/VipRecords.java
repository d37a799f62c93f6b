package io.ursa.xds.vips;

import static java.util.Objects.requireNonNull;

import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceKey;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.secret.SecretSpec;
import io.ursa.core.store.AlreadyExistsException;
import io.ursa.core.store.ConflictException;
import io.ursa.core.store.NotFoundException;
import io.ursa.core.store.ResourceReader;
import io.ursa.core.store.ResourceStore;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the VIP table of a mesh is kept, so that a restarted control plane (or another instance sharing the
 * PostgreSQL store) hands out the same VIPs: the mesh-scoped Secret {@code kuma-<mesh>-dns-vips} whose value is
 * {@link VipTable#toJson()}.
 *
 * <p>Kuma keeps the table in a global {@code Config} resource {@code kuma-<mesh>-dns-vips} owned by the Mesh. Ursa
 * has no Config type; a mesh-scoped Secret is what it already uses for what the control plane keeps on a mesh's
 * behalf (the CA's {@code <mesh>.ca-builtin-*} and the token signing keys), it is readable by admins only, and the
 * store deletes it in the same transaction as its Mesh (the store contract's cascade), so a mesh created again
 * under the same name starts with a fresh table. The record is written only for meshes with a transparently
 * proxied Dataplane.
 *
 * <p>Writes are optimistic: a table is created if absent and otherwise updated at the version that was read, so of
 * two writers (two control-plane instances) one wins and the other reads the winner's table and allocates again.
 * A stored value that is not a table (edited by hand) is logged and replaced at the next allocation.
 */
public final class VipRecords {
    private static final Logger log = LoggerFactory.getLogger(VipRecords.class);
    private static final String PREFIX = "kuma-";
    private static final String SUFFIX = "-dns-vips";

    /**
     * The table of a mesh as read from the store.
     *
     * @param table  the stored table; empty when there is none or it did not parse
     * @param record the stored Secret, empty when there is none
     */
    public record Stored(VipTable table, Optional<Resource<SecretSpec>> record) {
        public Stored {
            requireNonNull(table, "table");
            requireNonNull(record, "record");
        }
    }

    private VipRecords() {
    }

    /** The Secret name of the VIP table of {@code mesh}. */
    public static String name(String mesh) {
        return PREFIX + requireNonNull(mesh, "mesh") + SUFFIX;
    }

    /** Whether {@code key} is the VIP table of its mesh. */
    public static boolean isRecord(ResourceKey key) {
        return key.type() == ResourceTypes.SECRET && key.name().equals(name(key.mesh()));
    }

    /** The stored table of {@code mesh}, read from a store or from one snapshot of it. */
    public static Stored read(ResourceReader store, String mesh) {
        Optional<Resource<SecretSpec>> record = store.get(ResourceTypes.SECRET, mesh, name(mesh));
        if (record.isEmpty()) {
            return new Stored(VipTable.empty(), record);
        }
        try {
            return new Stored(VipTable.fromJson(new String(record.get().spec().bytes(), StandardCharsets.UTF_8)),
                    record);
        } catch (IllegalArgumentException e) {
            log.warn("Secret {} of mesh {} does not hold a VIP table ({}); its VIPs are allocated again",
                    name(mesh), mesh, e.getMessage());
            return new Stored(VipTable.empty(), record);
        }
    }

    /**
     * Stores {@code table} for {@code mesh} in place of {@code previous}.
     *
     * @return false when another writer changed the record since {@code previous} was read (read it again)
     */
    public static boolean write(ResourceStore store, String mesh, Stored previous, VipTable table) {
        SecretSpec spec = SecretSpec.of(table.toJson().getBytes(StandardCharsets.UTF_8));
        try {
            if (previous.record().isPresent()) {
                store.update(previous.record().get().withSpec(spec));
            } else {
                store.create(Resource.of(ResourceTypes.SECRET, mesh, name(mesh), spec));
            }
            log.debug("mesh {}: stored {} VIPs", mesh, table.vips().size());
            return true;
        } catch (ConflictException | AlreadyExistsException | NotFoundException e) {
            log.debug("mesh {}: the VIP table was written meanwhile; allocating again", mesh);
            return false;
        }
    }
}
