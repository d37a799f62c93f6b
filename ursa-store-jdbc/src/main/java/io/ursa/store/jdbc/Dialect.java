package io.ursa.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;

/**
 * The little that differs between SQLite and PostgreSQL for the stores' SQL: the substring test of name filters,
 * how a page says "no limit", the {@code schema_version} table and how a migration's transaction is run (SQLite:
 * {@code BEGIN IMMEDIATE}, which the store's directory lock already makes exclusive; PostgreSQL: a transaction
 * that first takes an advisory lock, so control planes migrating one database at once take turns).
 */
enum Dialect {
    SQLITE("instr(name, ?) > 0", """
            CREATE TABLE IF NOT EXISTS schema_version (
                version     INTEGER PRIMARY KEY,
                description TEXT    NOT NULL,
                checksum    TEXT    NOT NULL,
                applied_at  INTEGER NOT NULL
            ) STRICT"""),
    POSTGRES("strpos(name, ?) > 0", """
            CREATE TABLE IF NOT EXISTS schema_version (
                version     INTEGER PRIMARY KEY,
                description TEXT    NOT NULL,
                checksum    TEXT    NOT NULL,
                applied_at  BIGINT  NOT NULL
            )""");

    /** The key of the advisory lock migrations of a PostgreSQL database take: "ursa" in ASCII. */
    static final long MIGRATION_LOCK = 0x75727361L;

    private final String nameContains;
    private final String createSchemaVersion;

    Dialect(String nameContains, String createSchemaVersion) {
        this.nameContains = nameContains;
        this.createSchemaVersion = createSchemaVersion;
    }

    /** The condition that {@code name} contains the bound parameter. */
    String nameContains() {
        return nameContains;
    }

    /** Binds a page's {@code LIMIT ?}: 0 is no limit (SQLite: a negative limit; PostgreSQL: LIMIT NULL). */
    void bindLimit(PreparedStatement ps, int index, int limit) throws SQLException {
        if (limit > 0) {
            ps.setLong(index, limit);
        } else if (this == SQLITE) {
            ps.setLong(index, -1);
        } else {
            ps.setNull(index, Types.BIGINT);
        }
    }

    String createSchemaVersion() {
        return createSchemaVersion;
    }

    /** Whether the database has a {@code schema_version} table (a database never migrated has none). */
    boolean hasSchemaVersion(Connection c) throws SQLException {
        String sql = this == SQLITE
                ? "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
                : "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'schema_version'";
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1) > 0;
        }
    }

    /** Runs a migration's work in one transaction, exclusive among the migrators of the database. */
    <T> T migrationTransaction(Connection c, SqlWork<T> work) throws SQLException {
        if (this == SQLITE) {
            return Transactions.write(c, work);
        }
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                ps.setLong(1, MIGRATION_LOCK);
                ps.executeQuery().close();
            }
            T result = work.run(c);
            c.commit();
            return result;
        } catch (Throwable e) {
            try {
                c.rollback();
            } catch (SQLException rollbackFailed) {
                e.addSuppressed(rollbackFailed);
            }
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }
}
