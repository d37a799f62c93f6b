package io.ursa.testing.store;

import static io.ursa.testing.store.Fixtures.NOTE;
import static io.ursa.testing.store.Fixtures.note;
import static io.ursa.testing.store.Fixtures.resource;
import static org.assertj.core.api.Assertions.assertThat;

import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.store.ListQuery;
import io.ursa.core.store.ResourcePage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Contract: listings are ordered by (mesh, name), filtered by mesh and name substring, paged; counts. */
interface ListingContract extends ContractStore {

    private List<String> names(ResourcePage<?> page) {
        return page.items().stream().map(r -> r.mesh() + "/" + r.name()).toList();
    }

    private void createNotes(String mesh, String... names) {
        for (String name : names) {
            store().create(note(mesh, name, name));
        }
    }

    @Test
    default void listIsOrderedByMeshThenName() {
        createNotes("b", "web-2", "Web", "web-10", "api");
        createNotes("a", "z", "a.b", "a_b", "a-b", "0");
        createNotes("c", "m");

        ResourcePage<NoteSpec> page = store().list(NOTE, ListQuery.all());

        assertThat(names(page)).containsExactly(
                "a/0", "a/a-b", "a/a.b", "a/a_b", "a/z",
                "b/Web", "b/api", "b/web-10", "b/web-2",
                "c/m");
        assertThat(page.total()).isEqualTo(10);
    }

    @Test
    default void listReturnsTheStoredResources() {
        Resource<NoteSpec> first = store().create(note("demo", "first", "one", "x"));
        Resource<NoteSpec> second = store().update(store().create(note("demo", "second", "two"))
                .withSpec(new NoteSpec("two, updated", List.of("y"))));

        assertThat(store().list(NOTE, ListQuery.all()).items()).containsExactly(first, second);
    }

    @Test
    default void listFiltersByMesh() {
        createNotes("a", "x", "y");
        createNotes("ab", "z");
        createNotes("b", "x");

        assertThat(names(store().list(NOTE, ListQuery.inMesh("a")))).containsExactly("a/x", "a/y");
        assertThat(store().list(NOTE, ListQuery.inMesh("a")).total()).isEqualTo(2);
        assertThat(names(store().list(NOTE, ListQuery.inMesh("missing")))).isEmpty();
    }

    @Test
    default void listFiltersByAnExactCaseSensitiveNameSubstring() {
        createNotes("a", "web_1", "webx1", "Web_1", "backend", "web%1");
        createNotes("b", "my-web_1-canary");

        assertThat(names(store().list(NOTE, ListQuery.all().named("b_1"))))
                .containsExactly("a/Web_1", "a/web_1", "b/my-web_1-canary");
        assertThat(names(store().list(NOTE, ListQuery.all().named("Web")))).containsExactly("a/Web_1");
        assertThat(names(store().list(NOTE, ListQuery.all().named("%")))).containsExactly("a/web%1");
        assertThat(names(store().list(NOTE, ListQuery.inMesh("a").named("web"))))
                .containsExactly("a/web%1", "a/web_1", "a/webx1");
        assertThat(store().list(NOTE, ListQuery.all().named("nothing-matches")).total()).isZero();
    }

    @Test
    default void listPagesWithOffsetAndLimitAndCountsEveryMatchInTotal() {
        createNotes("a", "n1", "n2", "n3", "other");
        createNotes("b", "n4", "n5");

        ListQuery matching = ListQuery.all().named("n");
        assertThat(store().list(NOTE, matching.page(0, 2))).satisfies(page -> {
            assertThat(names(page)).containsExactly("a/n1", "a/n2");
            assertThat(page.total()).isEqualTo(5);
        });
        assertThat(store().list(NOTE, matching.page(2, 2))).satisfies(page -> {
            assertThat(names(page)).containsExactly("a/n3", "b/n4");
            assertThat(page.total()).isEqualTo(5);
        });
        assertThat(store().list(NOTE, matching.page(4, 2))).satisfies(page -> {
            assertThat(names(page)).containsExactly("b/n5");
            assertThat(page.total()).isEqualTo(5);
        });
        assertThat(store().list(NOTE, matching.page(3, 0))).satisfies(page -> {
            assertThat(names(page)).containsExactly("b/n4", "b/n5");
            assertThat(page.total()).isEqualTo(5);
        });
    }

    @Test
    default void aPageBeyondTheEndIsEmptyButStillCountsTheMatches() {
        createNotes("a", "n1", "n2", "n3");

        ResourcePage<NoteSpec> page = store().list(NOTE, ListQuery.inMesh("a").page(10, 5));

        assertThat(page.items()).isEmpty();
        assertThat(page.total()).isEqualTo(3);
    }

    @Test
    default void listOfATypeWithNothingStoredIsEmpty() {
        createNotes("a", "n1");

        ResourcePage<DataplaneSpec> page = store().list(ResourceTypes.DATAPLANE, ListQuery.all());

        assertThat(page.items()).isEmpty();
        assertThat(page.total()).isZero();
    }

    @Test
    default void countCountsOneTypeInOneMeshOrInAll() {
        createNotes("a", "n1", "n2");
        createNotes("b", "n1");
        store().create(resource(ResourceTypes.DATAPLANE, "a", "dp"));

        assertThat(store().count(NOTE, "a")).isEqualTo(2);
        assertThat(store().count(NOTE, "b")).isEqualTo(1);
        assertThat(store().count(NOTE, "")).isEqualTo(3);
        assertThat(store().count(NOTE, "missing")).isZero();
        assertThat(store().count(ResourceTypes.DATAPLANE, "")).isEqualTo(1);
        assertThat(store().count(ResourceTypes.SECRET, "")).isZero();
    }

    @Test
    default void aLargeListingIsPagedCompletelyAndInOrder() {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            String mesh = i % 2 == 0 ? "even" : "odd";
            String name = "dp-" + (i * 7919 % 2_000);
            store().create(resource(ResourceTypes.DATAPLANE, mesh, name));
            expected.add(mesh + "/" + name);
        }
        expected.sort(Comparator.naturalOrder());

        List<String> paged = new ArrayList<>();
        for (int offset = 0; offset < 2_100; offset += 150) {
            ResourcePage<DataplaneSpec> page = store().list(ResourceTypes.DATAPLANE, ListQuery.all().page(offset, 150));
            assertThat(page.total()).isEqualTo(2_000);
            assertThat(page.items()).hasSizeLessThanOrEqualTo(150);
            paged.addAll(names(page));
        }

        assertThat(paged).containsExactlyElementsOf(expected);
        assertThat(store().count(ResourceTypes.DATAPLANE, "odd")).isEqualTo(1_000);
        ResourcePage<DataplaneSpec> lastOdd = store().list(ResourceTypes.DATAPLANE,
                ListQuery.inMesh("odd").page(990, 100));
        assertThat(names(lastOdd)).containsExactlyElementsOf(expected.subList(1_990, 2_000));
        assertThat(lastOdd.total()).isEqualTo(1_000);
    }
}
