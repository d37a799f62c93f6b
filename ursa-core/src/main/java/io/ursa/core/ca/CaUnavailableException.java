package io.ursa.core.ca;

/**
 * A mesh's CA cannot be used right now: its Secrets are missing, its file cannot be read, or its material does not
 * parse. The message says which mesh, backend and source, and why.
 */
public final class CaUnavailableException extends Exception {
    public CaUnavailableException(String message) {
        super(message);
    }

    public CaUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
