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
        Path dir = target.toAbsolutePath().getParent();
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] attributes = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(access.permissions)}
                : new FileAttribute<?>[0];
        Path temp = Files.createTempFile(dir, "." + target.getFileName() + "-", ".tmp", attributes);
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
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
