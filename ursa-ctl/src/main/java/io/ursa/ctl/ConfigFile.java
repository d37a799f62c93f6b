package io.ursa.ctl;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.ursa.api.codec.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Reads and writes the configuration file. A missing file means {@link CtlConfig#defaults()}. Writes go to a
 * temporary file in the same directory that is then moved over the old one, so a crash never leaves half a
 * file; the file (and a directory created for it) is readable by its owner only (mode 0600), since it holds user
 * tokens and headers may carry credentials. Reading a file that other users may read or change is warned about.
 */
final class ConfigFile {
    private static final String PRIVATE = "rw-------";

    private final Path path;
    private final Consumer<String> warnings;

    /** @param warnings receives one line per warning (without the {@code warning: } prefix) */
    ConfigFile(Path path, Consumer<String> warnings) {
        this.path = requireNonNull(path, "path").toAbsolutePath();
        this.warnings = requireNonNull(warnings, "warnings");
    }

    Path path() {
        return path;
    }

    CtlConfig load() {
        openMode().ifPresent(mode -> warnings.accept("the configuration file " + path + " is open to other users"
                + " (mode " + mode + ") and may hold user tokens; make it private with: chmod 600 " + path));
        return read();
    }

    private CtlConfig read() {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return CtlConfig.defaults();
        } catch (IOException e) {
            throw new CtlException("could not read the configuration file " + path + ": " + e.getMessage(), e);
        }
        if (text.isBlank()) {
            return CtlConfig.defaults();
        }
        try {
            return CtlConfigReader.read(text);
        } catch (CtlConfigReader.Mistake e) {
            throw new CtlException("could not parse the configuration file " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Loads, changes and saves the configuration; {@code change} answers empty to refuse, and then
     * {@code refusal} is thrown and the file is left alone. Returns the saved configuration.
     */
    CtlConfig update(Function<CtlConfig, Optional<CtlConfig>> change, Supplier<CtlException> refusal) {
        Optional<String> wasOpen = openMode();
        CtlConfig updated = change.apply(read()).orElseThrow(refusal);
        save(updated);
        wasOpen.ifPresent(mode -> warnings.accept("the configuration file " + path + " was open to other users"
                + " (mode " + mode + "); it is now written with mode " + PRIVATE));
        return updated;
    }

    /** The file's mode when group or others may read or write it; empty for a private or missing file. */
    private Optional<String> openMode() {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return Optional.empty();
        }
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(path);
        } catch (IOException e) {
            return Optional.empty();
        }
        boolean open = permissions.stream().anyMatch(p -> p != PosixFilePermission.OWNER_READ
                && p != PosixFilePermission.OWNER_WRITE && p != PosixFilePermission.OWNER_EXECUTE
                && p != PosixFilePermission.GROUP_EXECUTE && p != PosixFilePermission.OTHERS_EXECUTE);
        return open ? Optional.of(PosixFilePermissions.toString(permissions)) : Optional.empty();
    }

    /** The error of {@code remove} and {@code switch} for a name that is not configured. */
    static CtlException noSuchControlPlane(String name) {
        return new CtlException("there is no Control Plane with name " + Texts.quote(name));
    }

    void save(CtlConfig config) {
        String text = toYaml(config);
        Path dir = path.getParent();
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        try {
            if (!Files.isDirectory(dir)) {
                if (posix) {
                    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectories(dir);
                }
            }
            Path temp = posix
                    ? Files.createTempFile(dir, ".config-", ".tmp", PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString(PRIVATE)))
                    : Files.createTempFile(dir, ".config-", ".tmp");
            try {
                Files.writeString(temp, text, StandardCharsets.UTF_8);
                move(temp);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new CtlException("could not write the configuration file " + path + ": " + e.getMessage(), e);
        }
    }

    private void move(Path temp) throws IOException {
        try {
            Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static String toYaml(CtlConfig config) {
        try {
            return Json.yaml().writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write the configuration as YAML", e);
        }
    }
}
