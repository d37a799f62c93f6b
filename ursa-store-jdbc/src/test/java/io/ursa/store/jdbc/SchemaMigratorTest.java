package io.ursa.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.store.StoreUnavailableException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaMigratorTest {
    private static final Clock FIRST = Clock.fixed(Instant.parse("2024-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final Clock LATER = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);

    private static final Migration ONE = Migration.of(1, "one", "CREATE TABLE a (x INTEGER);\n"
            + "-- a comment; with a semicolon\nCREATE TABLE b (y TEXT);\n");
    private static final Migration TWO = Migration.of(2, "two", "CREATE TABLE log (msg TEXT);\n"
            + "CREATE TRIGGER a_logged AFTER INSERT ON a BEGIN\n  INSERT INTO log VALUES ('a' || new.x);\nEND;\n"
            + "INSERT INTO a VALUES (1);\n");
    private static final Migration BROKEN = Migration.of(3, "broken", "CREATE TABLE c (z TEXT);\nNOT SQL;\n");

    @TempDir
    Path dir;

    private Connection connect() throws SQLException {
        return SqliteConnections.open(dir.resolve("test.db"), SqliteConnections.Role.WRITER);
    }

    private EmbeddedResourceStore openStore(Clock clock) {
        return EmbeddedResourceStore.open(dir, ResourceTypes.standard(), clock);
    }

    @Test
    void aFreshDatabaseGetsEveryMigrationRecorded() throws Exception {
        openStore(FIRST).close();

        try (RawDatabase db = RawDatabase.open(dir)) {
            Map<Integer, SchemaMigrator.Applied> applied = SchemaMigrator.applied(db.connection());
            Migration v1 = Migrations.standard().get(0);
            assertThat(applied).containsOnlyKeys(1);
            assertThat(applied.get(1)).isEqualTo(new SchemaMigrator.Applied(1, "resources", v1.checksum(),
                    FIRST.millis()));
            assertThat(db.queryLong("SELECT COUNT(*) FROM resources")).isZero();
        }
    }

    @Test
    void reopeningAnUpToDateDatabaseChangesNothing() throws Exception {
        openStore(FIRST).close();
        Map<Integer, SchemaMigrator.Applied> before;
        try (RawDatabase db = RawDatabase.open(dir)) {
            before = SchemaMigrator.applied(db.connection());
        }

        openStore(LATER).close();

        try (RawDatabase db = RawDatabase.open(dir)) {
            assertThat(SchemaMigrator.applied(db.connection())).isEqualTo(before);
        }
    }

    /** Creates the store's database, then changes it with {@code sql}. */
    private void storeDatabaseChangedBy(String sql) throws Exception {
        openStore(FIRST).close();
        try (RawDatabase db = RawDatabase.open(dir)) {
            db.execute(sql);
        }
    }

    @Test
    void refusesADatabaseWhoseAppliedMigrationChanged() throws Exception {
        storeDatabaseChangedBy("UPDATE schema_version SET checksum = 'c0ffee' WHERE version = 1");

        assertThatThrownBy(() -> openStore(LATER))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("refusing to use database " + dir.resolve("ursa.db"))
                .hasMessageContaining("migration V1 (resources) was changed after it was applied")
                .hasMessageContaining("checksum in the database: c0ffee");
    }

    @Test
    void refusesADatabaseFromANewerVersion() throws Exception {
        storeDatabaseChangedBy("INSERT INTO schema_version VALUES (2, 'from the future', 'abc', 0)");

        assertThatThrownBy(() -> openStore(LATER))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("database " + dir.resolve("ursa.db") + " has schema version 2 (from the future)")
                .hasMessageContaining("knows schema versions up to 1")
                .hasMessageContaining("written by a newer Ursa");
    }

    @Test
    void appliesOnlyThePendingMigrationsInOrder() throws Exception {
        try (Connection c = connect()) {
            assertThat(new SchemaMigrator(List.of(ONE), FIRST).migrate(c, dir)).containsExactly(ONE);

            assertThat(new SchemaMigrator(List.of(ONE, TWO), LATER).migrate(c, dir)).containsExactly(TWO);
            assertThat(new SchemaMigrator(List.of(ONE, TWO), LATER).migrate(c, dir)).isEmpty();

            assertThat(SchemaMigrator.applied(c).values()).extracting(SchemaMigrator.Applied::appliedAt)
                    .containsExactly(FIRST.millis(), LATER.millis());
            Transactions.execute(c, "INSERT INTO a VALUES (2)");
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT group_concat(msg, ',') FROM log")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("a1,a2");
            }
        }
    }

    @Test
    void aFailingMigrationLeavesTheDatabaseAsItWas() throws Exception {
        try (Connection c = connect()) {
            new SchemaMigrator(List.of(ONE), FIRST).migrate(c, dir);
            Migration brokenTwo = Migration.of(2, "broken", BROKEN.script());

            assertThatThrownBy(() -> new SchemaMigrator(List.of(ONE, TWO, Migration.of(3, "broken", BROKEN.script())),
                    LATER).migrate(c, dir))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("migration V3 (broken) failed");
            assertThatThrownBy(() -> new SchemaMigrator(List.of(ONE, brokenTwo), LATER).migrate(c, dir))
                    .hasMessageContaining("migration V2 (broken) failed");

            assertThat(SchemaMigrator.applied(c)).containsOnlyKeys(1);
            assertThat(schemaObjects(c)).containsExactly("a", "b", "schema_version");
        }
    }

    private static List<String> schemaObjects(Connection c) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT name FROM sqlite_schema ORDER BY name")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    @Test
    void refusesMigrationsOutOfSequence() {
        assertThatThrownBy(() -> new SchemaMigrator(List.of(TWO), FIRST))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("migration V2 (two) is out of sequence (expected: version 1)");
    }

    @Test
    void parsesVersionAndDescriptionFromTheFileName() {
        Migration m = Migration.fromFile("V12__add_labels.sql", "SELECT 1;");

        assertThat(m.version()).isEqualTo(12);
        assertThat(m.description()).isEqualTo("add labels");
        assertThat(m.checksum()).isEqualTo(Migration.fromFile("V12__add_labels.sql", "SELECT 1;").checksum())
                .isNotEqualTo(Migration.fromFile("V12__add_labels.sql", "SELECT 2;").checksum());
        assertThat(Migration.checksum("a;\r\nb;\r\n")).isEqualTo(Migration.checksum("a;\nb;\n"));
        assertThatThrownBy(() -> Migration.fromFile("V1_missing_underscore.sql", ""))
                .hasMessageContaining("invalid migration file name: V1_missing_underscore.sql");
    }

    @Test
    void theListOfMigrationsMatchesTheFolder() throws IOException, URISyntaxException {
        Path folder = Path.of(getClass().getClassLoader().getResource(Migrations.FOLDER).toURI());

        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(Migrations.FILES);
        }
        assertThat(Migrations.standard()).extracting(Migration::version)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, Migrations.FILES.size()).boxed().toList());
    }

    @Test
    void theListOfPostgresMigrationsMatchesItsFolder() throws IOException, URISyntaxException {
        Path folder = Path.of(getClass().getClassLoader().getResource(Migrations.POSTGRES_FOLDER).toURI());

        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(Migrations.POSTGRES_FILES);
        }
        assertThat(Migrations.postgres()).extracting(Migration::version)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, Migrations.POSTGRES_FILES.size()).boxed().toList());
    }
}
