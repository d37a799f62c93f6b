package io.ursa.api.resource;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * Identity and bookkeeping of a stored resource. {@code mesh} is empty for global-scoped types.
 * {@code version} is the store's optimistic-concurrency token: 0 for a resource not stored yet.
 */
public record ResourceMeta(String mesh, String name, long version, Instant creationTime, Instant modificationTime) {
    public static final Instant ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

    public ResourceMeta {
        requireNonNull(mesh, "mesh");
        requireNonNull(name, "name");
        requireNonNull(creationTime, "creationTime");
        requireNonNull(modificationTime, "modificationTime");
        if (version < 0) {
            throw new IllegalArgumentException("invalid version: " + version + " (expected: >= 0)");
        }
    }

    /** Meta of a resource that is not stored yet. */
    public static ResourceMeta of(String mesh, String name) {
        return new ResourceMeta(mesh, name, 0, ZERO_TIME, ZERO_TIME);
    }

    public ResourceMeta withVersion(long newVersion) {
        return new ResourceMeta(mesh, name, newVersion, creationTime, modificationTime);
    }

    public ResourceMeta withTimes(Instant created, Instant modified) {
        return new ResourceMeta(mesh, name, version, created, modified);
    }
}
