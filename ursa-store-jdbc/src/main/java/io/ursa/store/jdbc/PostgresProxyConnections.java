package io.ursa.store.jdbc;

import static java.util.Objects.requireNonNull;

import io.ursa.api.resource.ResourceKey;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.cluster.ProxyConnections;
import io.ursa.core.store.StoreUnavailableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ProxyConnections} in the PostgreSQL database that the control planes share: the table
 * {@code proxy_connections}, one row per proxy. Every operation is one statement (atomic on its row) on a
 * connection of the store's pool; the conditional ones ({@link #disconnected}, {@link #forget}) put their
 * condition in the WHERE clause, so two instances racing on one proxy cannot both win. Times come from the clock
 * passed in (each instance's own; the deregistration delay, seconds, is far above the skew of synchronized
 * clocks). A failure is a {@link StoreUnavailableException} naming the database. Thread-safe.
 */
public final class PostgresProxyConnections implements ProxyConnections {
    private static final Logger log = LoggerFactory.getLogger(PostgresProxyConnections.class);
    private static final String COLUMNS = "type, mesh, name, instance_id, connect_time, disconnect_time, registered";

    private final DataSource pool;
    private final ResourceTypes types;
    private final Clock clock;
    private final String database;

    PostgresProxyConnections(DataSource pool, ResourceTypes types, Clock clock, String database) {
        this.pool = requireNonNull(pool, "pool");
        this.types = requireNonNull(types, "types");
        this.clock = requireNonNull(clock, "clock");
        this.database = requireNonNull(database, "database");
    }

    /** The record on the database of {@code store}, through its pool. */
    public static PostgresProxyConnections of(PostgresResourceStore store, ResourceTypes types, Clock clock) {
        return new PostgresProxyConnections(store.pool(), types, clock, store.database());
    }

    @FunctionalInterface
    private interface Statement<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T run(String operation, Statement<T> statement) {
        try (Connection c = pool.getConnection()) {
            return statement.run(c);
        } catch (SQLException e) {
            throw new StoreUnavailableException("could not " + operation + " in " + database + ": " + e.getMessage(),
                    e);
        }
    }

    @Override
    public void connected(ResourceKey proxy, String instanceId, Optional<Instant> registered) {
        requireNonNull(proxy, "proxy");
        requireNonNull(instanceId, "instanceId");
        requireNonNull(registered, "registered");
        long now = clock.millis();
        run("record the connection of " + proxy, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO proxy_connections (" + COLUMNS + ") "
                    + "VALUES (?, ?, ?, ?, ?, NULL, ?) ON CONFLICT (type, mesh, name) DO UPDATE SET "
                    + "instance_id = excluded.instance_id, connect_time = excluded.connect_time, "
                    + "disconnect_time = NULL, "
                    + "registered = COALESCE(excluded.registered, proxy_connections.registered)")) {
                int i = bindKey(ps, proxy, 1);
                ps.setString(i++, instanceId);
                ps.setLong(i++, now);
                setMillis(ps, i, registered);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public boolean disconnected(ResourceKey proxy, String instanceId) {
        requireNonNull(proxy, "proxy");
        requireNonNull(instanceId, "instanceId");
        long now = clock.millis();
        return run("record the disconnection of " + proxy, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE proxy_connections SET disconnect_time = ? "
                    + "WHERE type = ? AND mesh = ? AND name = ? AND instance_id = ? AND disconnect_time IS NULL")) {
                ps.setLong(1, now);
                int i = bindKey(ps, proxy, 2);
                ps.setString(i, instanceId);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public Optional<ProxyConnection> get(ResourceKey proxy) {
        requireNonNull(proxy, "proxy");
        return run("read the connection of " + proxy, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM proxy_connections "
                    + "WHERE type = ? AND mesh = ? AND name = ?")) {
                bindKey(ps, proxy, 1);
                List<ProxyConnection> found = rows(ps);
                return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
            }
        });
    }

    @Override
    public List<ProxyConnection> all() {
        return run("list proxy connections", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM proxy_connections")) {
                return rows(ps);
            }
        });
    }

    @Override
    public List<ProxyConnection> closeConnectionsOf(Set<String> liveInstanceIds) {
        requireNonNull(liveInstanceIds, "liveInstanceIds");
        long now = clock.millis();
        return run("close the connections of instances that are gone", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE proxy_connections SET disconnect_time = ? "
                    + "WHERE disconnect_time IS NULL AND NOT (instance_id = ANY (?)) RETURNING " + COLUMNS)) {
                ps.setLong(1, now);
                ps.setArray(2, c.createArrayOf("text", liveInstanceIds.toArray()));
                return rows(ps);
            }
        });
    }

    @Override
    public List<ProxyConnection> abandoned(Duration delay) {
        requireNonNull(delay, "delay");
        long cutoff = clock.millis() - delay.toMillis();
        return run("list abandoned proxy connections", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM proxy_connections "
                    + "WHERE disconnect_time IS NOT NULL AND disconnect_time <= ? ORDER BY disconnect_time")) {
                ps.setLong(1, cutoff);
                return rows(ps);
            }
        });
    }

    @Override
    public boolean forget(ProxyConnection abandoned) {
        requireNonNull(abandoned, "abandoned");
        return run("forget the connection of " + abandoned.proxy(), c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM proxy_connections "
                    + "WHERE type = ? AND mesh = ? AND name = ? AND instance_id = ? AND connect_time = ? "
                    + "AND disconnect_time IS NOT DISTINCT FROM ? AND registered IS NOT DISTINCT FROM ?")) {
                int i = bindKey(ps, abandoned.proxy(), 1);
                ps.setString(i++, abandoned.instanceId());
                ps.setLong(i++, abandoned.connectTime().toEpochMilli());
                setMillis(ps, i++, abandoned.disconnectTime());
                setMillis(ps, i, abandoned.registered());
                return ps.executeUpdate() == 1;
            }
        });
    }

    private static int bindKey(PreparedStatement ps, ResourceKey key, int from) throws SQLException {
        ps.setString(from, key.type().name());
        ps.setString(from + 1, key.mesh());
        ps.setString(from + 2, key.name());
        return from + 3;
    }

    private static void setMillis(PreparedStatement ps, int index, Optional<Instant> time) throws SQLException {
        if (time.isPresent()) {
            ps.setLong(index, time.get().toEpochMilli());
        } else {
            ps.setNull(index, Types.BIGINT);
        }
    }

    /** The rows {@code ps} selects; rows of a type this version does not know are skipped (and said so). */
    private List<ProxyConnection> rows(PreparedStatement ps) throws SQLException {
        List<ProxyConnection> found = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String typeName = rs.getString(1);
                Optional<ResourceType<?>> type = types.byName(typeName);
                if (type.isEmpty()) {
                    log.warn("skipping the connection of {} {}/{} in {}: this version of Ursa does not know the type"
                            + " (written by a newer version?)", typeName, rs.getString(2), rs.getString(3), database);
                    continue;
                }
                found.add(new ProxyConnection(new ResourceKey(type.get(), rs.getString(2), rs.getString(3)),
                        rs.getString(4), Instant.ofEpochMilli(rs.getLong(5)), millis(rs, 6), millis(rs, 7)));
            }
        }
        return found;
    }

    private static Optional<Instant> millis(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(value));
    }
}
