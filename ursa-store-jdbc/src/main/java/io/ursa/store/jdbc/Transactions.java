package io.ursa.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Explicit SQLite transactions on a connection left in auto-commit mode: {@code BEGIN IMMEDIATE} for writes (takes
 * the write lock up front, so a write never fails half-way for want of it), plain {@code BEGIN} for reads (one
 * snapshot for several statements). Whatever the work throws rolls everything back.
 */
final class Transactions {
    private Transactions() {
    }

    static <T> T write(Connection connection, SqlWork<T> work) throws SQLException {
        return run(connection, "BEGIN IMMEDIATE", work);
    }

    static <T> T read(Connection connection, SqlWork<T> work) throws SQLException {
        return run(connection, "BEGIN", work);
    }

    private static <T> T run(Connection connection, String begin, SqlWork<T> work) throws SQLException {
        execute(connection, begin);
        try {
            T result = work.run(connection);
            execute(connection, "COMMIT");
            return result;
        } catch (Throwable e) {
            try {
                execute(connection, "ROLLBACK");
            } catch (SQLException rollbackFailed) {
                e.addSuppressed(rollbackFailed);
            }
            throw e;
        }
    }

    static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
