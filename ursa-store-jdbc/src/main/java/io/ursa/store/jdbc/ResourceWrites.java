package io.ursa.store.jdbc;

import static java.util.Objects.requireNonNull;

import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceKey;
import io.ursa.api.resource.ResourceMeta;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.resource.Spec;
import io.ursa.core.event.ResourceChange;
import io.ursa.core.store.AlreadyExistsException;
import io.ursa.core.store.ConflictException;
import io.ursa.core.store.NotFoundException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writes of both JDBC stores (SQLite and PostgreSQL) as work for one transaction, each with the changes to
 * announce once it has committed. The store decides how the transaction is run. The update checks the version in
 * its {@code WHERE} clause, so two writers on one database (two PostgreSQL stores) cannot both win. Thread-safe.
 */
final class ResourceWrites {
    private static final Logger log = LoggerFactory.getLogger(ResourceWrites.class);

    /** A write: what it is called in messages ({@code create Dataplane demo/web-1}) and its transaction's work. */
    record Write<T>(String operation, SqlWork<Written<T>> work) {
    }

    private final ResourceTypes types;
    private final RowMapper rows;

    ResourceWrites(ResourceTypes types, RowMapper rows) {
        this.types = types;
        this.rows = rows;
    }

    <S extends Spec> Write<Resource<S>> create(Resource<S> resource) {
        ResourceKey key = keyOf(resource);
        ResourceMeta given = resource.meta();
        ResourceTable.Row row = RowMapper.row(key, 1, given.creationTime(), given.modificationTime(),
                rows.encodeSpec(resource.spec()));
        Resource<S> stored = resource.withMeta(RowMapper.meta(row));
        return new Write<>("create " + key, c -> {
            if (!ResourceTable.insert(c, key, row)) {
                throw new AlreadyExistsException(key);
            }
            return new Written<>(stored, List.of(new ResourceChange(key, ResourceChange.Kind.CREATED, 1)));
        });
    }

    /**
     * The given writes as the work of one transaction, run in order: their values in that order and all their
     * changes, or the first failure, after which the store rolls the whole transaction back. {@code operation}
     * names them all in messages.
     */
    static <T> Write<List<T>> together(String operation, List<Write<T>> writes) {
        List<Write<T>> all = List.copyOf(writes);
        return new Write<>(operation, c -> {
            List<T> values = new ArrayList<>(all.size());
            List<ResourceChange> changes = new ArrayList<>();
            for (Write<T> write : all) {
                Written<T> written = write.work().run(c);
                values.add(written.value());
                changes.addAll(written.changes());
            }
            return new Written<>(List.copyOf(values), changes);
        });
    }

    /** How a store makes the write of one create (each store may add its own statements to it). */
    interface CreateWrite {
        <S extends Spec> Write<Resource<S>> of(Resource<S> resource);
    }

    /** The creates of all {@code resources}, each made by {@code create}, as the work of one transaction. */
    static Write<List<Resource<?>>> createAll(List<? extends Resource<?>> resources, CreateWrite create) {
        List<Write<Resource<?>>> creates = new ArrayList<>(resources.size());
        for (Resource<?> resource : resources) {
            creates.add(anyType(create.of(requireNonNull(resource, "resource"))));
        }
        return together(createAllOperation(resources), creates);
    }

    /** A create's write typed for a batch of resources of several types. */
    private static <S extends Spec> Write<Resource<?>> anyType(Write<Resource<S>> write) {
        return new Write<>(write.operation(), c -> {
            Written<Resource<S>> written = write.work().run(c);
            return new Written<>(written.value(), written.changes());
        });
    }

    /** What a batch of creates is called in messages: {@code create Mesh demo and 6 more}. */
    private static String createAllOperation(List<? extends Resource<?>> resources) {
        if (resources.isEmpty()) {
            return "create nothing";
        }
        String first = "create " + keyOf(resources.get(0));
        return resources.size() == 1 ? first : first + " and " + (resources.size() - 1) + " more";
    }

    <S extends Spec> Write<Resource<S>> update(Resource<S> resource) {
        ResourceKey key = keyOf(resource);
        long expected = resource.meta().version();
        String spec = rows.encodeSpec(resource.spec());
        return new Write<>("update " + key, c -> {
            ResourceTable.Stamp current = ResourceTable.stamp(c, key).orElseThrow(() -> new NotFoundException(key));
            if (current.version() != expected) {
                throw new ConflictException(key, expected, current.version());
            }
            ResourceTable.Row row = new ResourceTable.Row(key.mesh(), key.name(), expected + 1,
                    current.creationTime(), resource.meta().modificationTime().toEpochMilli(), spec);
            if (!ResourceTable.update(c, key, row, expected)) {
                // another writer on the same database got there first (or deleted it) since the stamp was read
                long now = ResourceTable.stamp(c, key).orElseThrow(() -> new NotFoundException(key)).version();
                throw new ConflictException(key, expected, now);
            }
            return new Written<>(resource.withMeta(RowMapper.meta(row)),
                    List.of(new ResourceChange(key, ResourceChange.Kind.UPDATED, row.version())));
        });
    }

    Write<Void> delete(ResourceKey key) {
        return new Write<>("delete " + key, c -> {
            if (!ResourceTable.delete(c, key)) {
                throw new NotFoundException(key);
            }
            List<ResourceChange> changes = new ArrayList<>();
            changes.add(new ResourceChange(key, ResourceChange.Kind.DELETED, 0));
            if (key.type() == ResourceTypes.MESH && !key.name().isEmpty()) {
                changes.addAll(deleteMeshContents(c, key.name()));
            }
            return new Written<Void>(null, changes);
        });
    }

    /** Deletes every resource in the mesh, in the caller's transaction; returns the changes to announce. */
    private List<ResourceChange> deleteMeshContents(Connection c, String mesh) throws SQLException {
        List<ResourceChange> changes = new ArrayList<>();
        for (ResourceTable.Member member : ResourceTable.inMesh(c, mesh)) {
            Optional<ResourceType<?>> type = types.byName(member.type()).filter(ResourceType::isMeshScoped);
            if (type.isPresent()) {
                changes.add(new ResourceChange(new ResourceKey(type.get(), mesh, member.name()),
                        ResourceChange.Kind.DELETED, 0));
            } else {
                log.warn("deleting {} {}/{} with its mesh without announcing it: this version of Ursa does not know "
                        + "the type {} (written by a newer version?)", member.type(), mesh, member.name(),
                        member.type());
            }
        }
        ResourceTable.deleteInMesh(c, mesh);
        return changes;
    }

    /** The key a resource is stored under: global types have no mesh whatever the caller put in the meta. */
    static ResourceKey keyOf(Resource<?> resource) {
        return new ResourceKey(resource.type(), ConnectionReader.meshOf(resource.type(), resource.mesh()),
                resource.name());
    }
}
