package io.ursa.store.jdbc;

import io.ursa.api.resource.ResourceKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The SQL of the {@code resources} table (schemas in {@code db/migration/V1__resources.sql} for SQLite and
 * {@code db/postgres/V1__resources.sql} for PostgreSQL; the statements are the same but for {@link Dialect}).
 * Every statement is fixed text with bound parameters; nothing a user typed ends up in SQL. Listing, filtering,
 * paging and counting happen in the database on the {@code resources_by_key} index, so a page costs the same
 * however many rows there are before it.
 */
final class ResourceTable {
    private static final String COLUMNS = "mesh, name, version, creation_time, modification_time, spec";

    /** One stored resource as its columns (type aside). Times are epoch milliseconds; spec is JSON text. */
    record Row(String mesh, String name, long version, long creationTime, long modificationTime, String spec) {
    }

    /** What an update needs to know of the stored row. */
    record Stamp(long version, long creationTime) {
    }

    /** A resource in a mesh, by type name (the type may be unknown to this version). */
    record Member(String type, String name) {
    }

    /** The rows of one type a listing or count selects: all meshes if {@code mesh} is empty, any name if empty. */
    record Selection(String type, String mesh, String nameContains) {
        String where(Dialect dialect) {
            return "type = ?" + (mesh.isEmpty() ? "" : " AND mesh = ?")
                    + (nameContains.isEmpty() ? "" : " AND " + dialect.nameContains());
        }

        /** For messages: {@code Dataplane in mesh demo named like "web"}. */
        String describe() {
            return type + (mesh.isEmpty() ? " in all meshes" : " in mesh " + mesh)
                    + (nameContains.isEmpty() ? "" : " named like \"" + nameContains + "\"");
        }

        /** Binds the parameters of {@link #where(Dialect)} from index 1; returns the next free index. */
        int bind(PreparedStatement ps) throws SQLException {
            int i = 1;
            ps.setString(i++, type);
            if (!mesh.isEmpty()) {
                ps.setString(i++, mesh);
            }
            if (!nameContains.isEmpty()) {
                ps.setString(i++, nameContains);
            }
            return i;
        }
    }

    private ResourceTable() {
    }

    static Optional<Row> find(Connection c, ResourceKey key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM resources WHERE type = ? AND mesh = ? AND name = ?")) {
            bindKey(ps, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    static Optional<Stamp> stamp(Connection c, ResourceKey key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT version, creation_time FROM resources WHERE type = ? AND mesh = ? AND name = ?")) {
            bindKey(ps, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Stamp(rs.getLong(1), rs.getLong(2))) : Optional.empty();
            }
        }
    }

    /** Inserts the row; false (and nothing written) if the key is taken. */
    static boolean insert(Connection c, ResourceKey key, Row row) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO resources (type, " + COLUMNS + ") "
                + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (type, mesh, name) DO NOTHING")) {
            ps.setString(1, key.type().name());
            ps.setString(2, row.mesh());
            ps.setString(3, row.name());
            ps.setLong(4, row.version());
            ps.setLong(5, row.creationTime());
            ps.setLong(6, row.modificationTime());
            ps.setString(7, row.spec());
            return ps.executeUpdate() == 1;
        }
    }

    /** Stores the row's version, modification time and spec if the stored version is still {@code expected}. */
    static boolean update(Connection c, ResourceKey key, Row row, long expected) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE resources SET version = ?, modification_time = ?, "
                + "spec = ? WHERE type = ? AND mesh = ? AND name = ? AND version = ?")) {
            ps.setLong(1, row.version());
            ps.setLong(2, row.modificationTime());
            ps.setString(3, row.spec());
            ps.setString(4, key.type().name());
            ps.setString(5, key.mesh());
            ps.setString(6, key.name());
            ps.setLong(7, expected);
            return ps.executeUpdate() == 1;
        }
    }

    /** Deletes the row; false if there was none. */
    static boolean delete(Connection c, ResourceKey key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM resources WHERE type = ? AND mesh = ? AND name = ?")) {
            bindKey(ps, key);
            return ps.executeUpdate() == 1;
        }
    }

    /** Every resource in {@code mesh}, of any type, ordered by (type, name). */
    static List<Member> inMesh(Connection c, String mesh) throws SQLException {
        List<Member> members = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT type, name FROM resources WHERE mesh = ? AND mesh <> '' ORDER BY type, name")) {
            ps.setString(1, mesh);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    members.add(new Member(rs.getString(1), rs.getString(2)));
                }
            }
        }
        return members;
    }

    /** Deletes every resource in {@code mesh}; never the global ones (empty mesh). */
    static int deleteInMesh(Connection c, String mesh) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM resources WHERE mesh = ? AND mesh <> ''")) {
            ps.setString(1, mesh);
            return ps.executeUpdate();
        }
    }

    static String pageSql(Selection selection) {
        return pageSql(Dialect.SQLITE, selection);
    }

    static String pageSql(Dialect dialect, Selection selection) {
        return "SELECT " + COLUMNS + " FROM resources WHERE " + selection.where(dialect)
                + " ORDER BY mesh, name LIMIT ? OFFSET ?";
    }

    static String countSql(Selection selection) {
        return countSql(Dialect.SQLITE, selection);
    }

    static String countSql(Dialect dialect, Selection selection) {
        return "SELECT COUNT(*) FROM resources WHERE " + selection.where(dialect);
    }

    /** The selected rows ordered by (mesh, name), from {@code offset}, at most {@code limit} (0 = all). */
    static List<Row> page(Connection c, Dialect dialect, Selection selection, int offset, int limit)
            throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(pageSql(dialect, selection))) {
            int i = selection.bind(ps);
            dialect.bindLimit(ps, i++, limit);
            ps.setLong(i, offset);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(row(rs));
                }
            }
        }
        return rows;
    }

    static long count(Connection c, Dialect dialect, Selection selection) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(countSql(dialect, selection))) {
            selection.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void bindKey(PreparedStatement ps, ResourceKey key) throws SQLException {
        ps.setString(1, key.type().name());
        ps.setString(2, key.mesh());
        ps.setString(3, key.name());
    }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                rs.getString(6));
    }
}
