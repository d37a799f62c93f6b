package io.ursa.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.store.StoreUnavailableException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The PostgreSQL store's schema: refused at open unless current, brought up to date by migrate up only. */
class PostgresMigrationTest {
    private final TestPostgres postgres = TestPostgres.shared();

    private static PostgresResourceStore open(PostgresSettings settings) {
        return PostgresResourceStore.open(settings, ResourceTypes.standard(), "test-instance");
    }

    @Test
    void aFreshDatabaseIsRefusedAtOpenUntilMigrateUpRuns() {
        PostgresSettings settings = postgres.freshDatabase();

        assertThatThrownBy(() -> open(settings))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessage(settings.describe() + " has schema version 0, this Ursa needs "
                        + PostgresResourceStore.schemaVersion()
                        + ": run \"ursa-cp migrate up\" with the same configuration");

        assertThat(PostgresResourceStore.migrateUp(settings, Clock.systemUTC())).containsExactly("V1 (resources)",
                "V2 (control plane instances)", "V3 (proxy connections)");
        assertThat(PostgresResourceStore.migrateUp(settings, Clock.systemUTC())).isEmpty();
        try (PostgresResourceStore store = open(settings)) {
            assertThat(store.count(ResourceTypes.MESH, "")).isZero();
        }
    }

    @Test
    void aDatabaseMigratedByANewerUrsaIsRefused() {
        PostgresSettings settings = postgres.migratedDatabase();
        postgres.execute(settings.dbName(), "INSERT INTO schema_version VALUES ("
                + (PostgresResourceStore.schemaVersion() + 1) + ", 'labels', 'abc', 0)");

        assertThatThrownBy(() -> open(settings))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("database " + settings.describe() + " has schema version "
                        + (PostgresResourceStore.schemaVersion() + 1) + " (labels)")
                .hasMessageContaining("written by a newer Ursa");
        assertThatThrownBy(() -> PostgresResourceStore.migrateUp(settings, Clock.systemUTC()))
                .hasMessageContaining("written by a newer Ursa");
    }

    @Test
    void aChangedMigrationIsRefused() {
        PostgresSettings settings = postgres.migratedDatabase();
        postgres.execute(settings.dbName(), "UPDATE schema_version SET checksum = 'tampered' WHERE version = 1");

        assertThatThrownBy(() -> open(settings))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("refusing to use database " + settings.describe())
                .hasMessageContaining("migration V1 (resources) was changed after it was applied");
    }

    @Test
    void migratorsRacingOnOneDatabaseApplyEachMigrationOnce() throws Exception {
        PostgresSettings settings = postgres.freshDatabase();
        int racers = 4;
        CyclicBarrier start = new CyclicBarrier(racers);
        ExecutorService threads = Executors.newFixedThreadPool(racers);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                results.add(threads.submit(() -> {
                    start.await();
                    return PostgresResourceStore.migrateUp(settings, Clock.systemUTC());
                }));
            }
            List<List<String>> applied = new ArrayList<>();
            for (Future<List<String>> result : results) {
                applied.add(result.get());
            }
            assertThat(applied).filteredOn(list -> !list.isEmpty()).containsExactly(List.of("V1 (resources)",
                    "V2 (control plane instances)", "V3 (proxy connections)"));
        } finally {
            threads.shutdownNow();
        }
        try (Connection c = PostgresConnections.connect(settings); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM schema_version")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(PostgresResourceStore.schemaVersion());
        }
    }

    @Test
    void migrateUpSaysWhichDatabaseItCannotReach() {
        PostgresSettings nowhere = TestPostgres.settings(1, "ursa");

        assertThatThrownBy(() -> PostgresResourceStore.migrateUp(nowhere, Clock.systemUTC()))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageStartingWith("could not migrate PostgreSQL ursa at localhost:1: ");
    }
}
