package io.ursa.core.manager;

import io.ursa.api.resource.Resource;
import io.ursa.api.resource.Spec;
import java.util.Locale;

/** What a create-or-update did: the stored resource, and whether it was new, replaced or already so. */
public record UpsertResult<S extends Spec>(Resource<S> resource, Outcome outcome) {
    public enum Outcome {
        CREATED,
        UPDATED,
        /** The stored spec already was the one written: nothing was written, the version is the stored one. */
        UNCHANGED;

        /** How the REST API and {@code ursactl} say it: {@code created}, {@code updated}, {@code unchanged}. */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public boolean created() {
        return outcome == Outcome.CREATED;
    }
}
