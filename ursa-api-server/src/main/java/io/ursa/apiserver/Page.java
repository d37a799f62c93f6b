package io.ursa.apiserver;

import io.javalin.http.Context;
import io.ursa.api.validation.Violation;
import java.util.OptionalInt;

/**
 * The page a list request asks for (spec §8.6): {@code size} items (default 100, at most 1000) from position
 * {@code offset}. Kuma's offset is an opaque string; ours is the decimal index of the first item, which is what
 * Kuma's stores put there too.
 */
record Page(int size, int offset) {
    static final int DEFAULT_SIZE = 100;
    static final int MAX_SIZE = 1000;

    /** Reads {@code size} and {@code offset}; a bad value is a 400 with Kuma's details and cause. */
    static Page of(Context ctx) {
        return new Page(size(ctx.queryParam("size")), offset(ctx.queryParam("offset")));
    }

    private static int size(String raw) {
        if (raw == null || raw.isEmpty()) {
            return DEFAULT_SIZE;
        }
        int size;
        try {
            size = Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("Invalid page size", new Violation("size", "Invalid format"));
        }
        if (size > MAX_SIZE) {
            throw ApiException.badRequest("Invalid page size", new Violation("size",
                    "Invalid page size of " + size + ". Maximum page size is " + MAX_SIZE));
        }
        if (size < 1) {
            throw ApiException.badRequest("Invalid page size", new Violation("size",
                    "Invalid page size of " + size + ". Minimum page size is 1"));
        }
        return size;
    }

    private static int offset(String raw) {
        if (raw == null || raw.isEmpty()) {
            return 0;
        }
        try {
            int offset = Integer.parseInt(raw);
            if (offset >= 0) {
                return offset;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badRequest("Invalid offset", new Violation("offset", "Invalid format"));
    }

    /** The offset of the page after this one, if {@code total} items leave any after it. */
    OptionalInt nextOffset(long total) {
        long next = (long) offset + size;
        return next < total ? OptionalInt.of((int) next) : OptionalInt.empty();
    }
}
