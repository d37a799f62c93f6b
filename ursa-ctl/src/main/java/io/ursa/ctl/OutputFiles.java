package io.ursa.ctl;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes a file a command generates (a key, a certificate) whole or not at all: into a temporary file in the same
 * directory, with its final mode set before any byte is written, then moved over the target. A file that was there
 * is replaced, whatever its old mode, so a key never ends up readable by others because an old file was.
 */
final class OutputFiles {
    /** What a previous file at the path became. */
    enum Outcome {
        CREATED,
        REPLACED
    }

    private OutputFiles() {
    }

    /** Writes {@code content} to {@code path} with {@code mode} (e.g. {@code rw-------}) on a POSIX file system. */
    static Outcome write(Path path, byte[] content, String mode) throws IOException {
        Path target = path.toAbsolutePath();
        boolean existed = Files.exists(target);
        Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        try {
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString(mode));
            }
            Files.write(temp, content);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
        return existed ? Outcome.REPLACED : Outcome.CREATED;
    }
}
