package io.ursa.dp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Replaces a file in one step, so that a reader sees the old content or the new one, never a part: the content goes to
 * a temporary file in the same directory (created with its final permissions, flushed to disk), which is then renamed
 * over the target.
 */
final class AtomicFiles {
    /** Who may read a file the agent writes. */
    enum Access {
        /** {@code rw-------}: private keys, files that carry the dataplane token. */
        OWNER_ONLY("rw-------"),
        /** {@code rw-r--r--}: certificates. */
        EVERYONE("rw-r--r--");

        private final Set<PosixFilePermission> permissions;

        Access(String permissions) {
            this.permissions = PosixFilePermissions.fromString(permissions);
        }
    }

    private AtomicFiles() {
    }

    static void replace(Path target, String content, Access access) throws IOException {
        try (Staged staged = stage(target, content, access)) {
            staged.commit();
        }
    }

    /**
     * Writes {@code content} next to {@code target} without touching it yet: {@link Staged#commit()} renames it into
     * place, {@link Staged#close()} removes what was not committed. Several files can so be written first and
     * replaced one right after the other.
     */
    static Staged stage(Path target, String content, Access access) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] attributes = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(access.permissions)}
                : new FileAttribute<?>[0];
        Path temp = Files.createTempFile(dir, "." + target.getFileName() + "-", ".tmp", attributes);
        Staged staged = new Staged(temp, target);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            if (posix) {
                Files.setPosixFilePermissions(temp, access.permissions); // the umask may have narrowed them
            }
            return staged;
        } catch (IOException | RuntimeException e) {
            staged.close();
            throw e;
        }
    }

    /** A file written next to its target, not yet in place. */
    static final class Staged implements AutoCloseable {
        private final Path temp;
        private final Path target;

        private Staged(Path temp, Path target) {
            this.temp = temp;
            this.target = target;
        }

        /** Renames the file over its target, in one step. */
        void commit() throws IOException {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }

        /** Removes the file unless it was committed. */
        @Override
        public void close() throws IOException {
            Files.deleteIfExists(temp);
        }
    }
}
