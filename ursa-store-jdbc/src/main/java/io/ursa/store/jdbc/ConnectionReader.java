package io.ursa.store.jdbc;

import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceKey;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.Scope;
import io.ursa.api.resource.Spec;
import io.ursa.core.store.ListQuery;
import io.ursa.core.store.ResourcePage;
import io.ursa.core.store.ResourceReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The reads of a JDBC store (SQLite or PostgreSQL, as {@code dialect} says) on one connection, in the transaction the caller holds open: every read sees the
 * state of that transaction. Valid only while the transaction is: {@link #close()} ends its use, and a read after
 * that fails with {@link IllegalStateException} instead of running on a connection that may serve someone else by
 * then. Not thread-safe (a connection serves one thread).
 */
final class ConnectionReader implements ResourceReader, AutoCloseable {
    private final Connection connection;
    private final RowMapper rows;
    private final Dialect dialect;
    private final String database;
    private boolean closed;

    /** {@code database} names the database in messages. */
    ConnectionReader(Connection connection, RowMapper rows, Dialect dialect, String database) {
        this.connection = connection;
        this.rows = rows;
        this.dialect = dialect;
        this.database = database;
    }

    /** Ends the reader's use; the connection goes back to its pool after this. */
    @Override
    public void close() {
        closed = true;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("a snapshot's reader was used after the snapshot ended (expected: every"
                    + " read inside the function given to ResourceStore.snapshot)");
        }
    }

    @Override
    public <S extends Spec> Optional<Resource<S>> get(ResourceType<S> type, String mesh, String name) {
        requireOpen();
        ResourceKey key = new ResourceKey(type, meshOf(type, mesh), name);
        try {
            return ResourceTable.find(connection, key).map(row -> rows.resource(type, row));
        } catch (SQLException e) {
            throw Failures.unavailable("get " + key, database, e);
        }
    }

    @Override
    public <S extends Spec> ResourcePage<S> list(ResourceType<S> type, ListQuery query) {
        requireOpen();
        ResourceTable.Selection selection = new ResourceTable.Selection(type.name(), meshOf(type, query.mesh()),
                query.nameContains());
        try {
            List<ResourceTable.Row> page = ResourceTable.page(connection, dialect, selection, query.offset(),
                    query.limit());
            long total = ResourceTable.count(connection, dialect, selection);
            List<Resource<S>> items = page.stream().map(row -> rows.resource(type, row)).toList();
            if (page.size() == total && query.nameContains().isEmpty()
                    && (type.scope() == Scope.GLOBAL || !query.mesh().isEmpty())) {
                rows.decoded().listedAll(type.name(), selection.mesh(), items.stream().map(Resource::name)
                        .collect(java.util.stream.Collectors.toSet()));
            }
            return new ResourcePage<>(items, total);
        } catch (SQLException e) {
            throw Failures.unavailable("list " + selection.describe(), database, e);
        }
    }

    @Override
    public long count(ResourceType<?> type, String mesh) {
        requireOpen();
        ResourceTable.Selection selection = new ResourceTable.Selection(type.name(), meshOf(type, mesh), "");
        try {
            return ResourceTable.count(connection, dialect, selection);
        } catch (SQLException e) {
            throw Failures.unavailable("count " + selection.describe(), database, e);
        }
    }

    /** The mesh a key is stored under: global types have none whatever the caller passed. */
    static String meshOf(ResourceType<?> type, String mesh) {
        return type.scope() == Scope.GLOBAL ? "" : java.util.Objects.requireNonNull(mesh, "mesh");
    }
}
