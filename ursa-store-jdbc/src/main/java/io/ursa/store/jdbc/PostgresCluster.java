package io.ursa.store.jdbc;

import static java.util.Objects.requireNonNull;

import io.ursa.core.cluster.Cluster;
import io.ursa.core.cluster.ControlPlaneInstance;
import io.ursa.core.store.StoreUnavailableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control-plane instances on one PostgreSQL database, and their leader.
 *
 * <p>Each instance holds one connection of its own and, every {@link Timings#heartbeat()}, on it:
 * <ul>
 *   <li>writes its heartbeat into {@code control_plane_instances} (the database's clock, so hosts' clocks never
 *       disagree);</li>
 *   <li>when it does not lead, tries the session-level advisory lock {@link #LEADER_LOCK}
 *       ({@code pg_try_advisory_lock}): the instance whose session holds it leads;</li>
 *   <li>reads the instances whose heartbeat is younger than {@link Timings#lease()}, which {@link #instances()}
 *       then answers without a query.</li>
 * </ul>
 *
 * <p>After an outage (heartbeats of this instance failed), the others' heartbeats are as old as the outage: they
 * could not reach the database either. For one lease after its first heartbeat back, an instance therefore also
 * counts the instances that were alive when it lost the database, so that a leader back first does not take the
 * others, and their proxies, for gone; one that does not beat again within that lease drops out after it.
 *
 * <p>The lock belongs to the leader's session, so it is released by PostgreSQL the moment that session ends: a
 * leader that exits, crashes or is killed loses it at once, and another instance takes it at its next heartbeat
 * (within one heartbeat interval). A leader whose host or network fails silently loses it when PostgreSQL's TCP
 * keepalives give up on the session: this connection asks for keepalives after {@link Timings#keepaliveAfter()}
 * idle, then every second, two probes. A leader that cannot complete a heartbeat (the query fails or takes
 * longer than {@link Timings#queryTimeout()}) stops leading at once and closes its connection, so it never acts as
 * the leader while the database may have handed the lock to another. Thread-safe.
 */
public final class PostgresCluster implements Cluster {
    private static final Logger log = LoggerFactory.getLogger(PostgresCluster.class);

    /** The advisory lock that makes its holder the leader ("ursalead"), per database. */
    static final long LEADER_LOCK = 0x7572_7361_6c65_6164L;

    /**
     * How often an instance beats and tries to lead, how long an instance without a beat still counts as alive,
     * the longest a heartbeat's query may take, and when PostgreSQL starts probing an idle session.
     */
    public record Timings(Duration heartbeat, Duration lease, Duration queryTimeout, Duration keepaliveAfter) {
        public static final Timings DEFAULT = new Timings(Duration.ofSeconds(1), Duration.ofSeconds(5),
                Duration.ofSeconds(3), Duration.ofSeconds(2));

        public Timings {
            requireNonNull(heartbeat, "heartbeat");
            requireNonNull(lease, "lease");
            requireNonNull(queryTimeout, "queryTimeout");
            requireNonNull(keepaliveAfter, "keepaliveAfter");
            if (lease.compareTo(heartbeat.multipliedBy(2)) < 0) {
                throw new IllegalArgumentException("lease " + lease + " is shorter than two heartbeats ("
                        + heartbeat + "): live instances would flicker out of the list");
            }
        }
    }

    private final PostgresSettings settings;
    private final String instanceId;
    private final String hostname;
    private final String version;
    private final Timings timings;
    private final Clock clock;
    private final ScheduledExecutorService thread;
    private final List<Consumer<Boolean>> listeners = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();

    // guarded by lock
    private Connection connection;
    private boolean leader;
    private Instant failingSince;
    private String lastFailure = "";
    private boolean closed;
    /** The database's time of the last heartbeat that succeeded; -1 before the first. */
    private long lastBeat = -1;
    /** Until then (database time), instances seen at {@link #graceCutoff} or later count as alive: after an outage. */
    private long graceUntil = -1;
    private long graceCutoff;

    private volatile List<ControlPlaneInstance> instances = List.of();
    private volatile Optional<String> problem = Optional.empty();

    private PostgresCluster(PostgresSettings settings, String instanceId, String hostname, String version,
                            Timings timings, Clock clock) {
        this.settings = settings;
        this.instanceId = instanceId;
        this.hostname = hostname;
        this.version = version;
        this.timings = timings;
        this.clock = clock;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ursa-cluster");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Joins the cluster on the database of {@code settings}: the first heartbeat and leadership attempt happen
     * before this returns, so {@link #isLeader()} is meaningful at once.
     *
     * @throws StoreUnavailableException if the database cannot be reached for the first heartbeat
     */
    public static PostgresCluster join(PostgresSettings settings, String instanceId, String hostname, String version,
                                       Timings timings, Clock clock) {
        PostgresCluster cluster = new PostgresCluster(requireNonNull(settings, "settings"),
                requireNonNull(instanceId, "instanceId"), requireNonNull(hostname, "hostname"),
                requireNonNull(version, "version"), requireNonNull(timings, "timings"), requireNonNull(clock, "clock"));
        try {
            cluster.beat();
        } catch (SQLException e) {
            cluster.thread.shutdownNow();
            throw new StoreUnavailableException("could not join the control planes on " + settings.describe() + ": "
                    + e.getMessage(), e);
        }
        long period = timings.heartbeat().toMillis();
        cluster.thread.scheduleWithFixedDelay(cluster::tick, period, period, TimeUnit.MILLISECONDS);
        log.info("joined the control planes on {} as {} ({}; heartbeat {}, lease {})", settings.describe(),
                instanceId, cluster.isLeader() ? "leader" : "not the leader", timings.heartbeat(), timings.lease());
        return cluster;
    }

    @Override
    public String instanceId() {
        return instanceId;
    }

    @Override
    public boolean isLeader() {
        synchronized (lock) {
            return leader;
        }
    }

    @Override
    public List<ControlPlaneInstance> instances() {
        return instances;
    }

    @Override
    public Optional<String> problem() {
        return problem;
    }

    @Override
    public AutoCloseable onLeadershipChange(Consumer<Boolean> listener) {
        requireNonNull(listener, "listener");
        synchronized (lock) {
            listeners.add(listener);
            if (leader) {
                listener.accept(true);
            }
        }
        return () -> listeners.remove(listener);
    }

    /** One heartbeat on the cluster's thread; a failure is remembered and logged once, never thrown. */
    private void tick() {
        try {
            beat();
        } catch (SQLException | RuntimeException e) {
            failed(e);
        }
    }

    private void beat() throws SQLException {
        boolean gained;
        synchronized (lock) {
            if (closed) {
                return;
            }
            Connection c = connection();
            long now = databaseMillis(c);
            heartbeat(c, now);
            if (failingSince != null && lastBeat >= 0) {
                // Back after this instance could not reach the database: neither, most likely, could the others,
                // so their heartbeats are as old as the outage. Their absence means nothing until they have had a
                // lease to beat again; until then an instance alive when this one lost the database counts as alive
                // (else a leader back first would take the others' proxies for gone).
                graceUntil = now + timings.lease().toMillis();
                graceCutoff = lastBeat - timings.lease().toMillis();
            }
            gained = !leader && tryLead(c, now);
            if (gained) {
                leader = true;
            }
            boolean grace = now < graceUntil;
            long cutoff = now - timings.lease().toMillis();
            instances = live(c, grace ? Math.min(cutoff, graceCutoff) : cutoff);
            if (leader && !grace) {
                forgetLongGone(c, now);
            }
            lastBeat = now;
            if (failingSince != null) {
                log.info("reached {} again after {} (heartbeats resumed)", settings.describe(),
                        Duration.between(failingSince, clock.instant()).withNanos(0));
            }
            failingSince = null;
            lastFailure = "";
            problem = Optional.empty();
        }
        if (gained) {
            log.info("instance {} leads the control planes on {}", instanceId, settings.describe());
            listeners.forEach(l -> notify(l, true));
        }
    }

    private void failed(Exception e) {
        boolean lost;
        synchronized (lock) {
            closeConnection();
            lost = leader;
            leader = false;
            String reason = e.getMessage() == null ? e.toString() : e.getMessage();
            if (failingSince == null) {
                failingSince = clock.instant();
                log.warn("heartbeat to {} failed: {}{}", settings.describe(), reason,
                        lost ? "; this instance stops leading until it reaches the database again" : "");
            } else if (!reason.equals(lastFailure)) {
                log.debug("heartbeat to {} still failing: {}", settings.describe(), reason);
            }
            lastFailure = reason;
            problem = Optional.of(settings.describe() + " has not answered since " + failingSince + ": " + reason);
        }
        if (lost) {
            listeners.forEach(l -> notify(l, false));
        }
    }

    private static void notify(Consumer<Boolean> listener, boolean leading) {
        try {
            listener.accept(leading);
        } catch (RuntimeException e) {
            log.warn("a leadership listener failed", e);
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            Properties extra = new Properties();
            long timeoutSeconds = Math.max(1, (timings.queryTimeout().toMillis() + 999) / 1000);
            extra.setProperty("socketTimeout", Long.toString(timeoutSeconds));
            extra.setProperty("options", "-c tcp_keepalives_idle=" + Math.max(1, timings.keepaliveAfter().toSeconds())
                    + " -c tcp_keepalives_interval=1 -c tcp_keepalives_count=2");
            connection = PostgresConnections.connect(settings, extra);
        }
        return connection;
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the session is gone either way; PostgreSQL releases its lock with it
            }
            connection = null;
        }
    }

    private static long databaseMillis(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void heartbeat(Connection c, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO control_plane_instances "
                + "(id, hostname, version, started_at, last_seen) VALUES (?, ?, ?, ?, ?) "
                + "ON CONFLICT (id) DO UPDATE SET last_seen = excluded.last_seen")) {
            ps.setString(1, instanceId);
            ps.setString(2, hostname);
            ps.setString(3, version);
            ps.setLong(4, now);
            ps.setLong(5, now);
            ps.executeUpdate();
        }
    }

    private boolean tryLead(Connection c, long now) throws SQLException {
        boolean locked;
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            ps.setLong(1, LEADER_LOCK);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                locked = rs.getBoolean(1);
            }
        }
        if (locked) {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE control_plane_instances SET leader_since = ? WHERE id = ?")) {
                ps.setLong(1, now);
                ps.setString(2, instanceId);
                ps.executeUpdate();
            }
        }
        return locked;
    }

    /**
     * The live instances (a heartbeat at {@code cutoff} or later) by start, the leader being the live one that took
     * the lock last.
     */
    private List<ControlPlaneInstance> live(Connection c, long cutoff) throws SQLException {
        record Row(String id, String hostname, String version, long startedAt, long lastSeen, Long leaderSince) {
        }
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, hostname, version, started_at, last_seen, "
                + "leader_since FROM control_plane_instances WHERE last_seen >= ? ORDER BY started_at, id")) {
            ps.setLong(1, cutoff);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long leaderSince = rs.getLong(6);
                    rows.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5),
                            rs.wasNull() ? null : leaderSince));
                }
            }
        }
        String leaderId = rows.stream().filter(r -> r.leaderSince() != null)
                .max((a, b) -> Long.compare(a.leaderSince(), b.leaderSince())).map(Row::id).orElse("");
        return rows.stream().map(r -> new ControlPlaneInstance(r.id(), r.hostname(), r.version(),
                Instant.ofEpochMilli(r.startedAt()), Instant.ofEpochMilli(r.lastSeen()), r.id().equals(leaderId)))
                .toList();
    }

    /** The leader removes the rows of instances gone for a minute, so the table does not grow with restarts. */
    private void forgetLongGone(Connection c, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM control_plane_instances WHERE last_seen < ?")) {
            ps.setLong(1, now - Math.max(Duration.ofMinutes(1).toMillis(), timings.lease().toMillis() * 2));
            ps.executeUpdate();
        }
    }

    /** Leaves the cluster: releases the lock and removes this instance's row, so the next leader takes over now. */
    @Override
    public void close() {
        thread.shutdownNow();
        boolean wasLeader;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            wasLeader = leader;
            leader = false;
            if (connection != null) {
                try (PreparedStatement ps = connection.prepareStatement(
                        "DELETE FROM control_plane_instances WHERE id = ?")) {
                    ps.setString(1, instanceId);
                    ps.executeUpdate();
                } catch (SQLException e) {
                    log.debug("could not remove instance {} from {}: {}", instanceId, settings.describe(),
                            e.getMessage());
                }
            }
            closeConnection();
        }
        if (wasLeader) {
            log.info("instance {} left the control planes on {} and gave up leading", instanceId,
                    settings.describe());
        }
    }
}
