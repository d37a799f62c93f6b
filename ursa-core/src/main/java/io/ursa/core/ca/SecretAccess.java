package io.ursa.core.ca;

import java.util.Optional;

/** A CA plugin's window on Secrets: read one in a mesh, or create one if it is missing. */
public interface SecretAccess {
    /** The decoded bytes of Secret {@code name} in {@code mesh}. */
    Optional<byte[]> read(String mesh, String name);

    /** Stores a Secret unless one with that name exists; returns whether it created it. */
    boolean createIfAbsent(String mesh, String name, byte[] data);
}
