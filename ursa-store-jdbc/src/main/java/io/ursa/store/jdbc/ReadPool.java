package io.ursa.store.jdbc;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A few read-only connections that readers borrow, one at a time each. In WAL mode readers neither block nor are
 * blocked by the writer, so reads run in parallel with each other and with the write in progress; each read runs
 * in its own transaction and sees the last commit before it started. Thread-safe.
 */
final class ReadPool implements AutoCloseable {
    private final Path database;
    private final BlockingQueue<Connection> idle;
    private volatile boolean closed;

    private ReadPool(Path database, List<Connection> connections) {
        this.database = database;
        this.idle = new ArrayBlockingQueue<>(connections.size(), false, connections);
    }

    static ReadPool open(Path database, int size) throws SQLException {
        List<Connection> connections = new ArrayList<>();
        try {
            for (int i = 0; i < size; i++) {
                connections.add(SqliteConnections.open(database, SqliteConnections.Role.READER));
            }
        } catch (SQLException | RuntimeException e) {
            for (Connection c : connections) {
                try {
                    c.close();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
        return new ReadPool(database, connections);
    }

    /** Runs {@code work} in a read transaction on a borrowed connection. */
    <T> T read(String operation, SqlWork<T> work) {
        Connection connection = borrow(operation);
        try {
            return Transactions.read(connection, work);
        } catch (SQLException e) {
            throw Failures.unavailable(operation, database, e);
        } finally {
            giveBack(connection);
        }
    }

    private Connection borrow(String operation) {
        try {
            while (!closed) {
                Connection c = idle.poll(100, TimeUnit.MILLISECONDS);
                if (c != null) {
                    return c;
                }
            }
            throw Failures.closed(operation, database);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Failures.unavailable(operation, database, new SQLException("interrupted while waiting for a "
                    + "read connection", e));
        }
    }

    private synchronized void giveBack(Connection connection) {
        if (closed) {
            closeQuietly(connection);
        } else {
            idle.add(connection);
        }
    }

    /** Closes the idle connections now and the borrowed ones when they come back. */
    @Override
    public synchronized void close() {
        closed = true;
        List<Connection> drained = new ArrayList<>();
        idle.drainTo(drained);
        drained.forEach(ReadPool::closeQuietly);
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing a read-only connection loses nothing
        }
    }
}
