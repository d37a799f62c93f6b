package io.ursa.store.jdbc;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariDataSource;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceKey;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.resource.Spec;
import io.ursa.core.event.ChangeBus;
import io.ursa.core.event.ChangeListener;
import io.ursa.core.event.ResourceChange;
import io.ursa.core.store.ListQuery;
import io.ursa.core.store.ResourcePage;
import io.ursa.core.store.ResourceReader;
import io.ursa.core.store.ResourceStore;
import io.ursa.core.store.StoreUnavailableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import javax.sql.DataSource;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store on a PostgreSQL database, which several control planes may share. Reads and writes borrow connections
 * from a bounded HikariCP pool; a read (and each {@link #snapshot}) is one {@code REPEATABLE READ, READ ONLY}
 * transaction; a write is one transaction whose update checks the stored version in its {@code WHERE} clause, so
 * writers on other control planes cannot overwrite each other. The writes of this store take turns (one lock), so
 * its listeners hear them in commit order, after the commit; each write also notifies the other stores through
 * the database ({@link ChangeFeed}), and their changes reach this store's listeners from the feed's thread.
 *
 * <p>The schema is not migrated here: {@link #open} refuses a database whose schema is behind or ahead of this
 * Ursa, and {@link #migrateUp} (the command {@code ursa-cp migrate up}) brings it up to date.
 *
 * <p>Every database failure is a {@link StoreUnavailableException} naming the operation and the database
 * ({@code PostgreSQL ursa at db.example:5432}, never the password). While the database is away, reads and writes
 * fail after at most the connection timeout; once it is back, the pool reconnects and the same store works again.
 *
 * <p>Threads: any thread may read and write. Listeners run on the writing thread for this store's own writes and
 * on the feed's thread for other control planes' changes, one call at a time (under the write lock); they must not
 * write to this store.
 */
public final class PostgresResourceStore implements ResourceStore {
    private static final Logger log = LoggerFactory.getLogger(PostgresResourceStore.class);

    private final PostgresSettings settings;
    private final String database;
    private final String instanceId;
    private final HikariDataSource pool;
    private final RowMapper rows;
    private final ResourceWrites writes;
    private final ChangeBus bus;
    /** Writes take turns, and listeners are called under it, so they hear changes in commit order. */
    private final ReentrantLock writeLock = new ReentrantLock(true);
    private volatile ChangeFeed feed;
    private volatile boolean closed;
    /** What the last check of the pool found, for {@link #problem()}; the first is made when the store opens. */
    private volatile Optional<String> poolProblem = Optional.empty();
    private final ScheduledExecutorService poolChecker = Executors
            .newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "ursa-postgres-pool-check");
                t.setDaemon(true);
                return t;
            });

    /** How often the pool is checked for {@link #problem()}. */
    static final Duration POOL_CHECK_PERIOD = Duration.ofMillis(500);

    private PostgresResourceStore(PostgresSettings settings, ResourceTypes types, String instanceId,
                                  HikariDataSource pool) {
        this.settings = settings;
        this.database = settings.describe();
        this.instanceId = instanceId;
        this.pool = pool;
        this.rows = new RowMapper(new ResourceCodec(types), database);
        this.writes = new ResourceWrites(types, rows);
        this.bus = new ChangeBus();
        bus.subscribe(rows.decoded()); // a deleted resource's decoded form goes with it
    }

    /**
     * Connects to the database, checks that its schema is the one this Ursa needs and starts listening to the
     * changes of other control planes. {@code instanceId} tells this store's notifications from the others'.
     *
     * @throws StoreUnavailableException if the database cannot be reached, or its schema is behind (run
     *         {@code ursa-cp migrate up}) or ahead (written by a newer Ursa) of this Ursa
     */
    public static PostgresResourceStore open(PostgresSettings settings, ResourceTypes types, String instanceId) {
        requireNonNull(settings, "settings");
        requireNonNull(types, "types");
        requireNonNull(instanceId, "instanceId");
        String database = settings.describe();
        HikariDataSource pool;
        try {
            pool = PostgresConnections.pool(settings);
        } catch (SQLException | RuntimeException e) {
            throw new StoreUnavailableException("could not connect to " + database + ": " + reason(e), e);
        }
        PostgresResourceStore store = new PostgresResourceStore(settings, types, instanceId, pool);
        try {
            store.checkSchema();
            store.feed = ChangeFeed.start(() -> PostgresConnections.connect(settings), instanceId, types, database,
                    store::publishRemote, store::publishResync);
            store.poolProblem = store.checkPool();
            long period = POOL_CHECK_PERIOD.toMillis();
            store.poolChecker.scheduleWithFixedDelay(() -> store.poolProblem = store.checkPool(), period, period,
                    TimeUnit.MILLISECONDS);
        } catch (SQLException e) {
            store.poolChecker.shutdownNow();
            pool.close();
            throw new StoreUnavailableException("could not open " + database + ": " + reason(e), e);
        } catch (RuntimeException e) {
            store.poolChecker.shutdownNow();
            pool.close();
            throw e;
        }
        log.info("opened the store on {} (instance {})", database, instanceId);
        return store;
    }

    /** The schema version this Ursa needs. */
    public static int schemaVersion() {
        return Migrations.postgres().size();
    }

    /**
     * Brings the schema of the database up to date ({@code ursa-cp migrate up}) and returns the migrations it
     * applied, e.g. {@code [V1 (resources)]}; empty if it was current. Control planes migrating at once take turns.
     *
     * @throws StoreUnavailableException if the database cannot be reached or does not match this Ursa
     */
    public static List<String> migrateUp(PostgresSettings settings, Clock clock) {
        requireNonNull(settings, "settings");
        requireNonNull(clock, "clock");
        try (Connection c = PostgresConnections.connect(settings)) {
            return new SchemaMigrator(Migrations.postgres(), clock).migrate(c, Dialect.POSTGRES, settings.describe())
                    .stream().map(Migration::toString).toList();
        } catch (SQLException e) {
            throw new StoreUnavailableException("could not migrate " + settings.describe() + ": " + reason(e), e);
        }
    }

    private void checkSchema() throws SQLException {
        try (Connection c = pool.getConnection()) {
            int current = new SchemaMigrator(Migrations.postgres(), Clock.systemUTC())
                    .currentVersion(c, Dialect.POSTGRES, database);
            if (current < schemaVersion()) {
                throw new StoreUnavailableException(database + " has schema version " + current + ", this Ursa needs "
                        + schemaVersion() + ": run \"ursa-cp migrate up\" with the same configuration", null);
            }
        }
    }

    @Override
    public <S extends Spec> Resource<S> create(Resource<S> resource) {
        requireNonNull(resource, "resource");
        return write(createHoldingMesh(resource));
    }

    /** One transaction, one notification of the other stores; a taken key rolls all of it back. */
    @Override
    public List<Resource<?>> createAll(List<? extends Resource<?>> resources) {
        requireNonNull(resources, "resources");
        if (resources.isEmpty()) {
            return List.of();
        }
        return write(ResourceWrites.createAll(resources, this::createHoldingMesh));
    }

    /**
     * The create; for a mesh-scoped resource it first holds the mesh's row (if there is one) until the commit: a
     * deletion of the mesh by another control plane waits for this create, and its cascade then takes the new
     * resource too; no resource outlives its mesh.
     */
    private <S extends Spec> ResourceWrites.Write<Resource<S>> createHoldingMesh(Resource<S> resource) {
        ResourceWrites.Write<Resource<S>> create = writes.create(resource);
        if (!resource.type().isMeshScoped()) {
            return create;
        }
        return new ResourceWrites.Write<>(create.operation(), c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM resources WHERE type = ? AND mesh = ''"
                    + " AND name = ? FOR KEY SHARE")) {
                ps.setString(1, ResourceTypes.MESH.name());
                ps.setString(2, resource.mesh());
                ps.executeQuery().close();
            }
            return create.work().run(c);
        });
    }

    @Override
    public <S extends Spec> Resource<S> update(Resource<S> resource) {
        requireNonNull(resource, "resource");
        return write(writes.update(resource));
    }

    @Override
    public void delete(ResourceKey key) {
        requireNonNull(key, "key");
        write(writes.delete(key));
    }

    /** Runs the write in one transaction that also notifies the other stores; announces it after the commit. */
    private <T> T write(ResourceWrites.Write<T> write) {
        writeLock.lock();
        try {
            if (closed) {
                throw Failures.closed(write.operation(), database);
            }
            Written<T> written;
            try (Connection c = pool.getConnection()) {
                c.setAutoCommit(false);
                try {
                    written = write.work().run(c);
                    ChangeFeed.send(c, instanceId, written.changes());
                    c.commit();
                } catch (Throwable e) {
                    rollback(c, e);
                    throw e;
                }
            } catch (SQLException e) {
                throw unavailable(write.operation(), e);
            }
            written.changes().forEach(bus::publish);
            return written.value();
        } finally {
            writeLock.unlock();
        }
    }

    private static void rollback(Connection c, Throwable failure) {
        try {
            c.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    /** Changes another control plane committed, from the feed's thread. */
    private void publishRemote(List<ResourceChange> changes) {
        writeLock.lock();
        try {
            changes.forEach(bus::publish);
        } finally {
            writeLock.unlock();
        }
    }

    private void publishResync() {
        writeLock.lock();
        try {
            bus.publishResync();
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public <S extends Spec> Optional<Resource<S>> get(ResourceType<S> type, String mesh, String name) {
        return read("get " + type.name() + " " + mesh + "/" + name, reader -> reader.get(type, mesh, name));
    }

    @Override
    public <S extends Spec> ResourcePage<S> list(ResourceType<S> type, ListQuery query) {
        requireNonNull(query, "query");
        return read("list " + type.name(), reader -> reader.list(type, query));
    }

    @Override
    public long count(ResourceType<?> type, String mesh) {
        return read("count " + type.name(), reader -> reader.count(type, mesh));
    }

    @Override
    public <T> T snapshot(Function<ResourceReader, T> reads) {
        requireNonNull(reads, "reads");
        return read("read", reads);
    }

    /** Runs {@code reads} in one {@code REPEATABLE READ, READ ONLY} transaction on one pooled connection. */
    private <T> T read(String operation, Function<ResourceReader, T> reads) {
        if (closed) {
            throw Failures.closed(operation, database);
        }
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            // The transaction's own settings, sent with its BEGIN in one round trip; unlike the connection's
            // (setTransactionIsolation, setReadOnly), they end with it, so the pool has nothing to reset after.
            try (Statement s = c.createStatement()) {
                s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            }
            try {
                T result;
                try (ConnectionReader reader = new ConnectionReader(c, rows, Dialect.POSTGRES, database)) {
                    result = reads.apply(reader);
                }
                c.commit();
                return result;
            } catch (Throwable e) {
                rollback(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw unavailable(operation, e);
        }
    }

    private StoreUnavailableException unavailable(String operation, SQLException e) {
        return new StoreUnavailableException("could not " + operation + " in " + database + ": " + reason(e), e);
    }

    /** The failure's message, with its cause's when that says more (the pool's timeout hides why it timed out). */
    private static String reason(Exception e) {
        String message = String.valueOf(e.getMessage());
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
            message += " (" + cause.getMessage() + ")";
        }
        return message;
    }

    @Override
    public AutoCloseable subscribe(ChangeListener listener) {
        return bus.subscribe(requireNonNull(listener, "listener"));
    }

    /** The store's connection pool, shared with the record of proxy connections on the same database. */
    DataSource pool() {
        return pool;
    }

    /** How the store names its database: {@code PostgreSQL ursa at db.example:5432}. */
    String database() {
        return database;
    }

    /** The server process of the notification connection, for tests that cut it. */
    int feedBackendPid() {
        return feed.backendPid();
    }

    /**
     * Whether the store's pool can lend a working connection, as a write needs: after an outage the database can
     * answer the cluster's heartbeat before the pool has replaced its broken connections, and until it has, this
     * says so, so that {@code /ready} does not invite writes that would fail. Never blocks: it answers what the
     * last check found; the checks run on their own thread every {@link #POOL_CHECK_PERIOD} (each waits at most
     * the pool's connection timeout).
     */
    @Override
    public Optional<String> problem() {
        return poolProblem;
    }

    private Optional<String> checkPool() {
        Optional<String> problem;
        try (Connection c = pool.getConnection()) {
            problem = c.isValid(1) ? Optional.empty()
                    : Optional.of("the connection pool of " + database + " has no valid connection yet");
        } catch (SQLException | RuntimeException e) {
            problem = Optional.of("the connection pool of " + database + " cannot serve: " + reason(e));
        }
        return problem;
    }

    @Override
    public String describe() {
        return "postgres (" + settings.dbName() + " at " + settings.hostAndPort() + ", tls " + settings.tlsMode() + ")";
    }

    /** Stops listening and closes the pool. Idempotent. */
    @Override
    public void close() {
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            writeLock.unlock();
        }
        ChangeFeed f = feed;
        if (f != null) {
            f.close();
        }
        poolChecker.shutdownNow();
        pool.close();
        log.debug("closed the PostgreSQL store {}", database);
    }
}
