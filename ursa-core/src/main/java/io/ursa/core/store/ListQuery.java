package io.ursa.core.store;

import static java.util.Objects.requireNonNull;

/**
 * What to list: the mesh (empty = every mesh, and always empty for global types), an optional name substring,
 * and the page as {@code offset} plus {@code limit} (0 = no limit). Results are ordered by (mesh, name).
 */
public record ListQuery(String mesh, String nameContains, int offset, int limit) {
    public ListQuery {
        requireNonNull(mesh, "mesh");
        requireNonNull(nameContains, "nameContains");
        if (offset < 0) {
            throw new IllegalArgumentException("invalid offset: " + offset + " (expected: >= 0)");
        }
        if (limit < 0) {
            throw new IllegalArgumentException("invalid limit: " + limit + " (expected: >= 0)");
        }
    }

    public static ListQuery all() {
        return new ListQuery("", "", 0, 0);
    }

    public static ListQuery inMesh(String mesh) {
        return new ListQuery(mesh, "", 0, 0);
    }

    public ListQuery page(int newOffset, int newLimit) {
        return new ListQuery(mesh, nameContains, newOffset, newLimit);
    }

    public ListQuery named(String substring) {
        return new ListQuery(mesh, substring, offset, limit);
    }
}
