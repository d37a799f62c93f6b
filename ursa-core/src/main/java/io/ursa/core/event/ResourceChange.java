package io.ursa.core.event;

import static java.util.Objects.requireNonNull;

import io.ursa.api.resource.ResourceKey;

/** A committed write: what changed, how, and the version it now has (0 after a delete). */
public record ResourceChange(ResourceKey key, Kind kind, long version) {
    public enum Kind {
        CREATED,
        UPDATED,
        DELETED
    }

    public ResourceChange {
        requireNonNull(key, "key");
        requireNonNull(kind, "kind");
    }
}
