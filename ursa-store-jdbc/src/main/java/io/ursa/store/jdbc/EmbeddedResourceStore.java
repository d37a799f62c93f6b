package io.ursa.store.jdbc;

import static java.util.Objects.requireNonNull;

import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceKey;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.resource.Spec;
import io.ursa.core.event.ChangeBus;
import io.ursa.core.event.ChangeListener;
import io.ursa.core.store.ListQuery;
import io.ursa.core.store.ResourcePage;
import io.ursa.core.store.ResourceReader;
import io.ursa.core.store.ResourceStore;
import io.ursa.core.store.StoreUnavailableException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default store of the control plane: one SQLite database file, {@code ursa.db}, in a directory that this
 * store locks for itself. Writes are committed with {@code synchronous=FULL} in WAL mode, so once a write method
 * returns the write survives {@code kill -9} and, as far as SQLite and the disk allow, power loss. Writes take turns
 * on one connection, and the writes that queue up while a commit is in progress are committed together, each in its
 * own savepoint: one fsync per batch rather than per write, while each write still succeeds or fails on its own (see
 * {@link Writer}). Reads run in parallel on a small pool of read-only connections. The schema is brought up to date
 * on open (see {@link SchemaMigrator}). Thread-safe.
 *
 * <p>Change listeners are called after the commit, in commit order, on the thread of one of the writers of the batch;
 * they must not write to this store or close it (that fails with {@link IllegalStateException}).
 */
public final class EmbeddedResourceStore implements ResourceStore {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedResourceStore.class);

    /** The database file in the store directory. */
    public static final String DATABASE_FILE = "ursa.db";
    /** Read connections: enough for a few concurrent REST listings and the xDS reconciler at once. */
    static final int READ_CONNECTIONS = 4;

    private final Path database;
    private final DirectoryLock directoryLock;
    private final Writer writer;
    private final ReadPool readers;
    private final RowMapper rows;
    private final ResourceWrites writes;
    private final ChangeBus bus;

    private EmbeddedResourceStore(Path database, ResourceTypes types, DirectoryLock directoryLock, Writer writer,
                                  ReadPool readers, ChangeBus bus) {
        this.database = database;
        this.directoryLock = directoryLock;
        this.writer = writer;
        this.readers = readers;
        this.bus = bus;
        this.rows = new RowMapper(new ResourceCodec(types), database.toString());
        this.writes = new ResourceWrites(types, rows);
        bus.subscribe(rows.decoded()); // a deleted resource's decoded form goes with it
    }

    /**
     * Opens the store in {@code directory}, creating the directory and the database if they are missing, locking
     * the directory against other control planes and migrating the schema. {@code types} resolves the type names
     * of stored rows; {@code clock} stamps applied migrations.
     *
     * @throws StoreUnavailableException if the directory cannot be created or written, another control plane has
     *         it open, or the database cannot be opened or does not match this version (the message says which)
     */
    public static EmbeddedResourceStore open(Path directory, ResourceTypes types, Clock clock) {
        requireNonNull(directory, "directory");
        requireNonNull(types, "types");
        requireNonNull(clock, "clock");
        Path dir = directory.toAbsolutePath().normalize();
        Path database = dir.resolve(DATABASE_FILE);
        DirectoryLock lock = DirectoryLock.acquire(dir);
        Connection connection = null;
        try {
            connection = SqliteConnections.open(database, SqliteConnections.Role.WRITER);
            List<Migration> applied = new SchemaMigrator(Migrations.standard(), clock).migrate(connection, database);
            ReadPool readers = ReadPool.open(database, READ_CONNECTIONS);
            ChangeBus bus = new ChangeBus();
            log.info("opened embedded store {} ({})", database,
                    applied.isEmpty() ? "schema up to date" : "applied migrations " + applied);
            Writer writer = new Writer(connection, database, bus);
            return new EmbeddedResourceStore(database, types, lock, writer, readers, bus);
        } catch (SQLException e) {
            closeAfterFailedOpen(connection, lock, e);
            throw new StoreUnavailableException("could not open " + database + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeAfterFailedOpen(connection, lock, e);
            throw e;
        }
    }

    private static void closeAfterFailedOpen(Connection connection, DirectoryLock lock, Exception failure) {
        try (lock) {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    @Override
    public <S extends Spec> Resource<S> create(Resource<S> resource) {
        requireNonNull(resource, "resource");
        return run(writes.create(resource));
    }

    /** One write in the group commit (its own savepoint), so one fsync; a taken key rolls all of it back. */
    @Override
    public List<Resource<?>> createAll(List<? extends Resource<?>> resources) {
        requireNonNull(resources, "resources");
        if (resources.isEmpty()) {
            return List.of();
        }
        return run(ResourceWrites.createAll(resources, writes::create));
    }

    @Override
    public <S extends Spec> Resource<S> update(Resource<S> resource) {
        requireNonNull(resource, "resource");
        return run(writes.update(resource));
    }

    @Override
    public void delete(ResourceKey key) {
        requireNonNull(key, "key");
        run(writes.delete(key));
    }

    private <T> T run(ResourceWrites.Write<T> write) {
        return writer.write(write.operation(), write.work());
    }

    @Override
    public <S extends Spec> Optional<Resource<S>> get(ResourceType<S> type, String mesh, String name) {
        return snapshot(reader -> reader.get(type, mesh, name));
    }

    @Override
    public <S extends Spec> ResourcePage<S> list(ResourceType<S> type, ListQuery query) {
        requireNonNull(query, "query");
        return snapshot(reader -> reader.list(type, query));
    }

    @Override
    public long count(ResourceType<?> type, String mesh) {
        return snapshot(reader -> reader.count(type, mesh));
    }

    /**
     * Runs {@code reads} in one read transaction on a borrowed read connection: in WAL mode that transaction sees
     * the last commit before its first read, whatever is committed while it runs.
     */
    @Override
    public <T> T snapshot(Function<ResourceReader, T> reads) {
        requireNonNull(reads, "reads");
        return readers.read("read", c -> {
            try (ConnectionReader reader = new ConnectionReader(c, rows, Dialect.SQLITE, database.toString())) {
                return reads.apply(reader);
            }
        });
    }

    @Override
    public AutoCloseable subscribe(ChangeListener listener) {
        return bus.subscribe(requireNonNull(listener, "listener"));
    }

    /** The writer, for tests that look at batching. */
    Writer writer() {
        return writer;
    }

    @Override
    public String describe() {
        return "embedded (" + database + ")";
    }

    /**
     * Waits for the writes already accepted, then closes the connections and releases the directory. Idempotent.
     *
     * @throws IllegalStateException if called from a change listener (it would wait for itself)
     */
    @Override
    public void close() {
        writer.close();
        try (directoryLock; readers) {
            log.debug("closing embedded store {}", database);
        } catch (SQLException e) {
            log.warn("closing embedded store {} failed", database, e);
        }
    }
}
