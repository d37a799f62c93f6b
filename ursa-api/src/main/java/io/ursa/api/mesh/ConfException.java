package io.ursa.api.mesh;

/**
 * A backend's free-form {@code conf} does not have the shape its typed config needs, e.g. a string where a port
 * is expected. The message names the field inside {@code conf}: {@code port: expected an unsigned 32-bit integer,
 * got: "abc"}. Kuma reports it as {@code could not parse config: <message>} (or {@code could not convert backend
 * config: <message>} for CA backends).
 */
public final class ConfException extends Exception {
    public ConfException(String message) {
        super(message);
    }
}
