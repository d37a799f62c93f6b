package io.ursa.core.ca;

import java.util.Optional;

/** A CA plugin's window on Secrets: read one in a mesh, or create one if it is missing. */
public interface SecretAccess {
    /** The decoded bytes of Secret {@code name} in {@code mesh}. */
    Optional<byte[]> read(String mesh, String name);

    /** Stores a Secret unless one with that name exists; returns whether it created it. */
    boolean createIfAbsent(String mesh, String name, byte[] data);

    /**
     * Runs {@code action} once the Secret this access created last is written, and never if it is not: at once
     * where each create is its own write (the default), after the commit where creates are collected to be written
     * with the mesh being created. For what may only be said of a Secret once it exists, such as a log line.
     */
    default void afterWritten(Runnable action) {
        action.run();
    }
}
