package io.ursa.core.store;

/** Base of the store's failures that callers are expected to handle. */
public abstract class StoreException extends RuntimeException {
    protected StoreException(String message) {
        super(message);
    }

    protected StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
