package io.ursa.store.jdbc;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.sqlite.SQLiteConfig;

/**
 * Opens connections to the store's database file with the settings durability depends on: WAL journal (readers
 * never block the writer), {@code synchronous=FULL} (a commit is on disk when it returns, even after a power
 * loss), foreign keys on, and a busy timeout instead of failing at once when the file is locked.
 */
final class SqliteConnections {
    /** What a connection is for. */
    enum Role {
        /** The one connection that writes. */
        WRITER,
        /** A read-only ({@code query_only}) connection of the read pool. */
        READER
    }

    static final Duration BUSY_TIMEOUT = Duration.ofSeconds(5);

    private SqliteConnections() {
    }

    static Connection open(Path database, Role role) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout((int) BUSY_TIMEOUT.toMillis());
        config.enforceForeignKeys(true);
        if (role == Role.WRITER) {
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        }
        Connection connection = config.createConnection("jdbc:sqlite:" + database);
        try {
            if (role == Role.READER) {
                Transactions.execute(connection, "PRAGMA query_only = ON");
            }
            return connection;
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }
}
