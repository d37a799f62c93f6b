package io.ursa.api.spec;

import java.util.List;

/** Null-tolerant immutable list copies for record constructors (absent in JSON means empty). */
public final class Lists {
    private Lists() {
    }

    public static <T> List<T> copyOf(List<T> list) {
        if (list == null || list.isEmpty()) {
            return List.of();
        }
        for (T t : list) {
            if (t == null) {
                throw new IllegalArgumentException("list elements must not be null");
            }
        }
        return List.copyOf(list);
    }
}
