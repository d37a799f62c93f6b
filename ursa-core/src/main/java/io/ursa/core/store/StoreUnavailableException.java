package io.ursa.core.store;

/** The store itself failed (I/O, database error). REST: 503; the write did not happen. */
public final class StoreUnavailableException extends StoreException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
