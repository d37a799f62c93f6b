package io.ursa.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.store.ListQuery;
import io.ursa.core.store.ResourcePage;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Listing one page out of 10,000 rows (of 30,000 in the table): done by SQLite on the key index (checked through
 * the query plan, which does not depend on the machine's speed), and fast (timed, with a bound generous enough for
 * a slow CI machine).
 */
class LargeListingTest {
    private static final int MESHES = 10;
    private static final int PER_MESH = 1_000;

    @TempDir
    static Path dir;

    private static EmbeddedResourceStore store;

    @BeforeAll
    static void fill() throws SQLException {
        store = EmbeddedResourceStore.open(dir, ResourceTypes.standard(), EmbeddedResourceStoreTest.CLOCK);
        try (RawDatabase db = RawDatabase.open(dir)) {
            Connection c = db.connection();
            Transactions.write(c, tx -> {
                try (PreparedStatement ps = tx.prepareStatement("INSERT INTO resources (type, mesh, name, version, "
                        + "creation_time, modification_time, spec) VALUES (?, ?, ?, 1, 0, 0, '{}')")) {
                    for (var type : List.of(ResourceTypes.DATAPLANE, ResourceTypes.SECRET, ResourceTypes.TIMEOUT)) {
                        for (int m = 0; m < MESHES; m++) {
                            for (int n = 0; n < PER_MESH; n++) {
                                ps.setString(1, type.name());
                                ps.setString(2, "mesh-" + m);
                                ps.setString(3, String.format("dp-%04d", n));
                                ps.addBatch();
                            }
                        }
                    }
                    ps.executeBatch();
                }
                return null;
            });
        }
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @Test
    void theLastPageOfTenThousandIsRightAndFast() {
        store.list(ResourceTypes.DATAPLANE, ListQuery.all().page(0, 10));

        long start = System.nanoTime();
        ResourcePage<DataplaneSpec> last = store.list(ResourceTypes.DATAPLANE, ListQuery.all().page(9_950, 100));
        ResourcePage<DataplaneSpec> inMesh = store.list(ResourceTypes.DATAPLANE,
                ListQuery.inMesh("mesh-7").named("-09").page(50, 25));
        long count = store.count(ResourceTypes.DATAPLANE, "mesh-3");
        double millis = (System.nanoTime() - start) / 1e6;
        System.out.printf("two listings and a count over %,d rows: %.2f ms%n", MESHES * PER_MESH, millis);

        assertThat(last.total()).isEqualTo(10_000);
        assertThat(last.items()).extracting(r -> r.mesh() + "/" + r.name())
                .hasSize(50).startsWith("mesh-9/dp-0950").endsWith("mesh-9/dp-0999");
        assertThat(inMesh.total()).isEqualTo(100);
        assertThat(inMesh.items()).extracting(r -> r.name()).hasSize(25).startsWith("dp-0950").endsWith("dp-0974");
        assertThat(count).isEqualTo(1_000);
        assertThat(millis).as("milliseconds for two listings and a count").isLessThan(500);
    }

    @Test
    void listingsAndCountsRunOnTheKeyIndexWithoutSorting() throws SQLException {
        List<ResourceTable.Selection> selections = List.of(
                new ResourceTable.Selection("Dataplane", "", ""),
                new ResourceTable.Selection("Dataplane", "mesh-1", ""),
                new ResourceTable.Selection("Dataplane", "", "web"),
                new ResourceTable.Selection("Dataplane", "mesh-1", "web"));

        for (ResourceTable.Selection s : selections) {
            assertThat(plan(ResourceTable.pageSql(s), s))
                    .as(ResourceTable.pageSql(s))
                    .anySatisfy(step -> assertThat(step).contains("USING INDEX resources_by_key"))
                    .noneSatisfy(step -> assertThat(step).contains("TEMP B-TREE"));
            assertThat(plan(ResourceTable.countSql(s), s))
                    .as(ResourceTable.countSql(s))
                    .anySatisfy(step -> assertThat(step).contains("USING COVERING INDEX resources_by_key"));
        }
    }

    private List<String> plan(String sql, ResourceTable.Selection selection) throws SQLException {
        List<String> steps = new ArrayList<>();
        try (RawDatabase db = RawDatabase.open(dir);
             PreparedStatement ps = db.connection().prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
            int next = selection.bind(ps);
            for (int i = next; i <= ps.getParameterMetaData().getParameterCount(); i++) {
                ps.setLong(i, 10);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    steps.add(rs.getString("detail"));
                }
            }
        }
        return steps;
    }
}
