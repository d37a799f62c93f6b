package io.ursa.store.jdbc;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Direct SQL on a store's database file, for tests that tamper with it or look behind the store's back. */
final class RawDatabase implements AutoCloseable {
    private final Connection connection;

    private RawDatabase(Connection connection) {
        this.connection = connection;
    }

    static RawDatabase open(Path storeDirectory) throws SQLException {
        return new RawDatabase(SqliteConnections.open(storeDirectory.resolve(EmbeddedResourceStore.DATABASE_FILE),
                SqliteConnections.Role.WRITER));
    }

    Connection connection() {
        return connection;
    }

    void execute(String sql) throws SQLException {
        Transactions.execute(connection, sql);
    }

    long queryLong(String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new AssertionError("no row from " + sql);
                }
                return rs.getLong(1);
            }
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
