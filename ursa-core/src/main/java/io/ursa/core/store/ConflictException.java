package io.ursa.core.store;

import io.ursa.api.resource.ResourceKey;

/**
 * An update or delete carried a version that is no longer current: somebody else changed the resource first.
 * Nothing was written. REST: 409.
 */
public final class ConflictException extends StoreException {
    private final ResourceKey key;

    public ConflictException(ResourceKey key, long expectedVersion, long actualVersion) {
        super(key + " was changed concurrently (expected version " + expectedVersion + ", stored version "
                + actualVersion + ")");
        this.key = key;
    }

    public ResourceKey key() {
        return key;
    }
}
