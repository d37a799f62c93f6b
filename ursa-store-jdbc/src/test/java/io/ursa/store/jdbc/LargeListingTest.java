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
 * Listing one page out of 10,000 rows (of 30,000 in the table): the page holds the right rows, and SQLite finds
 * them by searching the key index on the selected type (and mesh) only, in key order without sorting, checked
 * through the query plan, which does not depend on the machine's speed. How long a listing takes is measured by
 * {@code ApiStoreBench} (list page p50/p99, see docs/performance.md), not asserted here.
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
    void theLastPageOfTenThousandAndAPageOfOneMeshHoldTheRightRows() {
        ResourcePage<DataplaneSpec> last = store.list(ResourceTypes.DATAPLANE, ListQuery.all().page(9_950, 100));
        ResourcePage<DataplaneSpec> inMesh = store.list(ResourceTypes.DATAPLANE,
                ListQuery.inMesh("mesh-7").named("-09").page(50, 25));

        assertThat(last.total()).isEqualTo(10_000);
        assertThat(last.items()).extracting(r -> r.mesh() + "/" + r.name())
                .hasSize(50).startsWith("mesh-9/dp-0950").endsWith("mesh-9/dp-0999");
        assertThat(inMesh.total()).isEqualTo(100);
        assertThat(inMesh.items()).extracting(r -> r.name()).hasSize(25).startsWith("dp-0950").endsWith("dp-0974");
        assertThat(store.count(ResourceTypes.DATAPLANE, "mesh-3")).isEqualTo(1_000);
    }

    @Test
    void listingsAndCountsRunOnTheKeyIndexWithoutSorting() throws SQLException {
        List<ResourceTable.Selection> selections = List.of(
                new ResourceTable.Selection("Dataplane", "", ""),
                new ResourceTable.Selection("Dataplane", "mesh-1", ""),
                new ResourceTable.Selection("Dataplane", "", "web"),
                new ResourceTable.Selection("Dataplane", "mesh-1", "web"));

        for (ResourceTable.Selection s : selections) {
            // One step: a search of the key index bounded to the selected type (and mesh), so other types' and
            // other meshes' rows are never read, and no temporary B-tree, so nothing is sorted.
            String keyRange = "(type=?" + (s.mesh().isEmpty() ? "" : " AND mesh=?") + ")";
            assertThat(plan(ResourceTable.pageSql(s), s))
                    .as(ResourceTable.pageSql(s))
                    .containsExactly("SEARCH resources USING INDEX resources_by_key " + keyRange);
            assertThat(plan(ResourceTable.countSql(s), s))
                    .as(ResourceTable.countSql(s))
                    .containsExactly("SEARCH resources USING COVERING INDEX resources_by_key " + keyRange);
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
