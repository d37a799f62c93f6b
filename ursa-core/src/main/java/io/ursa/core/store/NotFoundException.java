package io.ursa.core.store;

import io.ursa.api.resource.ResourceKey;

/** The resource does not exist. REST: 404. */
public final class NotFoundException extends StoreException {
    private final ResourceKey key;

    public NotFoundException(ResourceKey key) {
        super(key + " not found");
        this.key = key;
    }

    public ResourceKey key() {
        return key;
    }
}
