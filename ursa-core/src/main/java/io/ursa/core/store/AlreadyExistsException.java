package io.ursa.core.store;

import io.ursa.api.resource.ResourceKey;

/** A create found the key taken. REST: 409. */
public final class AlreadyExistsException extends StoreException {
    private final ResourceKey key;

    public AlreadyExistsException(ResourceKey key) {
        super(key + " already exists");
        this.key = key;
    }

    public ResourceKey key() {
        return key;
    }
}
