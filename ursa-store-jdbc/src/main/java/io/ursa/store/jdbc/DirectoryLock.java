package io.ursa.store.jdbc;

import io.ursa.core.store.StoreUnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * An exclusive lock on a store directory, so that two control planes never open the same store: a connection to
 * the empty SQLite database {@code ursa.lock} that holds an exclusive transaction open until it is closed. The OS
 * drops the lock when its process dies, even by {@code kill -9}, so a crash never leaves a stale lock behind.
 *
 * <p>Why not {@code FileChannel.tryLock}: those are POSIX record locks, which belong to the whole process, and
 * closing <em>any</em> channel on the file drops them (see {@link java.nio.channels.FileLock}). A second open of
 * the same directory in this JVM would fail as it should, but closing its channel would silently unlock the first
 * store. SQLite keeps track of its locks per file across the whole process and does not have that problem.
 */
final class DirectoryLock implements AutoCloseable {
    static final String FILE_NAME = "ursa.lock";

    private final Connection connection;

    private DirectoryLock(Connection connection) {
        this.connection = connection;
    }

    /** Creates {@code directory} if it is missing and locks it, or fails saying why. */
    static DirectoryLock acquire(Path directory) {
        if (Files.exists(directory) && !Files.isDirectory(directory)) {
            throw new StoreUnavailableException("store directory " + directory + " is not a directory", null);
        }
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new StoreUnavailableException("could not create store directory " + directory + ": " + e, e);
        }
        if (!Files.isWritable(directory)) {
            throw new StoreUnavailableException("store directory " + directory + " is not writable", null);
        }
        Path file = directory.resolve(FILE_NAME);
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(0);
        config.setJournalMode(SQLiteConfig.JournalMode.DELETE);
        Connection connection = null;
        try {
            connection = config.createConnection("jdbc:sqlite:" + file);
            Transactions.execute(connection, "BEGIN EXCLUSIVE");
            return new DirectoryLock(connection);
        } catch (SQLException e) {
            closeQuietly(connection, e);
            if (isBusy(e)) {
                throw new StoreUnavailableException("store directory " + directory + " is in use by another control "
                        + "plane (it holds the lock on " + file + "); stop that one first, or give this one "
                        + "another directory", e);
            }
            throw new StoreUnavailableException("could not lock store directory " + directory + " (through " + file
                    + "): " + e.getMessage(), e);
        }
    }

    private static boolean isBusy(SQLException e) {
        return e instanceof SQLiteException s && (s.getResultCode().code & 0xFF) == SQLiteErrorCode.SQLITE_BUSY.code;
    }

    private static void closeQuietly(Connection connection, Exception failure) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    /** Releases the lock. The file stays: deleting it would race with the next holder. */
    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
