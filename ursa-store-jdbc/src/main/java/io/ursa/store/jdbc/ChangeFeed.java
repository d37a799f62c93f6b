package io.ursa.store.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursa.api.resource.ResourceKey;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.event.ResourceChange;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes between control planes that share one PostgreSQL database. Each write transaction also sends its changes
 * with {@code pg_notify} on {@link #CHANNEL} (PostgreSQL delivers them only if, and when, the transaction commits);
 * each store listens on a connection of its own and hands the changes of the other stores to its listeners. A
 * notice is JSON, at most {@link #MAX_PAYLOAD_BYTES} (PostgreSQL's limit is 8000), so a large cascade goes out as
 * several notices: {@code {"o":"<origin instance>","c":[["C"|"U"|"D","<type>","<mesh>","<name>",<version>],...]}}.
 *
 * <p>Threads: the feed's own daemon thread ({@code ursa-postgres-listen}) owns the LISTEN connection and calls
 * {@code onRemote} and {@code onResync}; {@link #close} is called by another thread and waits for it. When the
 * connection is lost it reconnects with a capped backoff (logging the loss once at WARN and the recovery once at
 * INFO) and, once it listens again, calls {@code onResync}: changes may have been missed meanwhile. A connection that
 * stays silent is checked with a query every {@link #HEARTBEAT}, so one that died without a word is noticed too
 * (as soon as the operating system gives up on it; TCP keepalive is on).
 */
final class ChangeFeed implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChangeFeed.class);

    static final String CHANNEL = "ursa_changes";
    static final int MAX_PAYLOAD_BYTES = 7900;
    /** How long one wait for notifications lasts: also how long {@link #close} may wait for the thread. */
    static final Duration POLL = Duration.ofMillis(100);
    static final Duration HEARTBEAT = Duration.ofSeconds(10);
    static final Duration FIRST_RETRY = Duration.ofMillis(100);
    static final Duration MAX_RETRY = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Opens a connection to the database (outside the store's pool). */
    @FunctionalInterface
    interface Connector {
        Connection connect() throws SQLException;
    }

    /** A decoded notice: who wrote and what changed. */
    record Notice(String origin, List<ResourceChange> changes) {
    }

    private final Connector connector;
    private final String instanceId;
    private final ResourceTypes types;
    private final String database;
    private final Consumer<List<ResourceChange>> onRemote;
    private final Runnable onResync;
    private final Thread thread;
    private volatile boolean closed;
    /** The LISTEN connection; written by the feed's thread (and by the constructor before it starts). */
    private volatile Connection connection;
    private volatile int backendPid;

    private ChangeFeed(Connector connector, String instanceId, ResourceTypes types, String database,
                       Consumer<List<ResourceChange>> onRemote, Runnable onResync) {
        this.connector = connector;
        this.instanceId = instanceId;
        this.types = types;
        this.database = database;
        this.onRemote = onRemote;
        this.onResync = onResync;
        this.thread = new Thread(this::run, "ursa-postgres-listen");
        this.thread.setDaemon(true);
    }

    /** Listens (the first LISTEN happens here, so a failure is the caller's) and starts the feed's thread. */
    static ChangeFeed start(Connector connector, String instanceId, ResourceTypes types, String database,
                            Consumer<List<ResourceChange>> onRemote, Runnable onResync) throws SQLException {
        ChangeFeed feed = new ChangeFeed(connector, instanceId, types, database, onRemote, onResync);
        feed.listen();
        feed.thread.start();
        return feed;
    }

    /** The server process of the LISTEN connection, for tests that cut it. */
    int backendPid() {
        return backendPid;
    }

    /** Sends {@code changes} from {@code origin} in the caller's transaction. */
    static void send(Connection c, String origin, List<ResourceChange> changes) throws SQLException {
        if (changes.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            for (String payload : payloads(origin, changes)) {
                ps.setString(1, CHANNEL);
                ps.setString(2, payload);
                ps.executeQuery().close();
            }
        }
    }

    /** The notices for {@code changes}, each at most {@link #MAX_PAYLOAD_BYTES} bytes of UTF-8. */
    static List<String> payloads(String origin, List<ResourceChange> changes) {
        List<String> payloads = new ArrayList<>();
        ObjectNode notice = null;
        int size = 0;
        for (ResourceChange change : changes) {
            ArrayNode entry = JSON.createArrayNode()
                    .add(change.kind().name().substring(0, 1))
                    .add(change.key().type().name())
                    .add(change.key().mesh())
                    .add(change.key().name())
                    .add(change.version());
            int entrySize = utf8Length(entry.toString()) + 1;
            if (notice != null && size + entrySize > MAX_PAYLOAD_BYTES) {
                payloads.add(notice.toString());
                notice = null;
            }
            if (notice == null) {
                notice = JSON.createObjectNode().put("o", origin);
                notice.putArray("c");
                size = utf8Length(notice.toString());
            }
            ((ArrayNode) notice.get("c")).add(entry);
            size += entrySize;
        }
        if (notice != null) {
            payloads.add(notice.toString());
        }
        return payloads;
    }

    /** The notice in {@code payload}; empty (and logged) if it is not one, changes of unknown types left out. */
    static Optional<Notice> decode(String payload, ResourceTypes types) {
        try {
            JsonNode notice = JSON.readTree(payload);
            List<ResourceChange> changes = new ArrayList<>();
            for (JsonNode entry : notice.path("c")) {
                ResourceChange.Kind kind = switch (entry.path(0).asText()) {
                    case "C" -> ResourceChange.Kind.CREATED;
                    case "U" -> ResourceChange.Kind.UPDATED;
                    case "D" -> ResourceChange.Kind.DELETED;
                    default -> throw new IllegalArgumentException("unknown change kind " + entry.path(0));
                };
                Optional<ResourceType<?>> type = types.byName(entry.path(1).asText());
                if (type.isEmpty()) {
                    log.debug("ignoring a change of the unknown type {} (written by a newer Ursa?)", entry.path(1));
                    continue;
                }
                changes.add(new ResourceChange(new ResourceKey(type.get(), entry.path(2).asText(),
                        entry.path(3).asText()), kind, entry.path(4).asLong()));
            }
            return Optional.of(new Notice(notice.path("o").asText(), changes));
        } catch (Exception e) {
            log.warn("ignoring a notification on {} that is not Ursa's: {}", CHANNEL, e.getMessage());
            return Optional.empty();
        }
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private void listen() throws SQLException {
        Connection c = connector.connect();
        try (Statement s = c.createStatement()) {
            s.execute("LISTEN " + CHANNEL);
            try (ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                backendPid = rs.getInt(1);
            }
        } catch (SQLException e) {
            closeQuietly(c);
            throw e;
        }
        connection = c;
    }

    private void run() {
        long lastHeard = System.nanoTime();
        while (!closed) {
            try {
                PGNotification[] notifications = connection.unwrap(PGConnection.class)
                        .getNotifications((int) POLL.toMillis());
                if (notifications != null && notifications.length > 0) {
                    lastHeard = System.nanoTime();
                    for (PGNotification n : notifications) {
                        handle(n.getParameter());
                    }
                } else if (System.nanoTime() - lastHeard > HEARTBEAT.toNanos()) {
                    try (Statement s = connection.createStatement()) {
                        s.execute("SELECT 1");
                    }
                    lastHeard = System.nanoTime();
                }
            } catch (SQLException e) {
                if (closed) {
                    break;
                }
                reconnect(e);
                lastHeard = System.nanoTime();
            }
        }
        closeQuietly(connection);
    }

    private void handle(String payload) {
        decode(payload, types)
                .filter(notice -> !notice.origin().equals(instanceId)) // our own: announced after our commit
                .filter(notice -> !notice.changes().isEmpty())
                .ifPresent(notice -> onRemote.accept(notice.changes()));
    }

    /** Replaces the lost connection, retrying until it listens again or the feed is closed; then resyncs. */
    private void reconnect(SQLException cause) {
        log.warn("lost the notification connection to {} ({}): changes made by other control planes are not heard"
                + " until it is back; reconnecting", database, cause.getMessage());
        closeQuietly(connection);
        long delay = FIRST_RETRY.toMillis();
        while (!closed) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                if (closed) {
                    return;
                }
            }
            try {
                listen();
                log.info("listening to {} for changes of other control planes again; resyncing, as some may have"
                        + " been missed", database);
                onResync.run();
                return;
            } catch (SQLException e) {
                log.debug("reconnecting to {} failed: {}", database, e.getMessage());
                delay = Math.min(delay * 2, MAX_RETRY.toMillis());
            }
        }
    }

    private static void closeQuietly(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException e) {
            log.debug("closing the notification connection failed", e);
        }
    }

    /** Stops listening; waits for the feed's thread (at most a few poll intervals). */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(POLL.multipliedBy(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            closeQuietly(connection);
        }
    }
}
