package io.ursa.core.manager;

import io.ursa.api.resource.Resource;
import io.ursa.api.resource.Spec;

/** What a create-or-update did: the stored resource, and whether it was new. */
public record UpsertResult<S extends Spec>(Resource<S> resource, Outcome outcome) {
    public enum Outcome {
        CREATED,
        UPDATED
    }

    public boolean created() {
        return outcome == Outcome.CREATED;
    }
}
