package io.ursa.store.jdbc;

import io.ursa.core.event.ChangeBus;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one connection that writes. SQLite allows one writer at a time, so writes take turns on a lock here rather
 * than queueing on the file lock; each write is one transaction. The changes a write produced are announced after
 * its commit and before the next write starts, so listeners hear the changes in commit order. The connection and
 * {@code closed} belong to whichever thread holds the lock.
 */
final class Writer implements AutoCloseable {
    private final ReentrantLock lock = new ReentrantLock();
    private final Connection connection;
    private final Path database;
    private final ChangeBus bus;
    private boolean closed;

    Writer(Connection connection, Path database, ChangeBus bus) {
        this.connection = connection;
        this.database = database;
        this.bus = bus;
    }

    /**
     * Runs {@code work} in a write transaction, commits, announces the changes and returns the value. If anything
     * fails nothing is written and nothing announced.
     */
    <T> T write(String operation, SqlWork<Written<T>> work) {
        lock.lock();
        try {
            if (closed) {
                throw Failures.closed(operation, database);
            }
            Written<T> written;
            try {
                written = Transactions.write(connection, work);
            } catch (SQLException e) {
                throw Failures.unavailable(operation, database, e);
            }
            written.changes().forEach(bus::publish);
            return written.value();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() throws SQLException {
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                connection.close();
            }
        } finally {
            lock.unlock();
        }
    }
}
