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
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Reads and writes the configuration file. A missing file means {@link CtlConfig#defaults()}. Writes go to a
 * temporary file in the same directory that is then moved over the old one, so a crash never leaves half a
 * file; the file (and a directory created for it) is readable by its owner only, since headers may carry
 * credentials.
 */
final class ConfigFile {
    private final Path path;

    ConfigFile(Path path) {
        this.path = requireNonNull(path, "path").toAbsolutePath();
    }

    Path path() {
        return path;
    }

    CtlConfig load() {
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
            return Json.yaml().readValue(text, CtlConfig.class);
        } catch (JsonProcessingException e) {
            throw new CtlException("could not parse the configuration file " + path + ": "
                    + e.getOriginalMessage(), e);
        }
    }

    /**
     * Loads, changes and saves the configuration; {@code change} answers empty to refuse, and then
     * {@code refusal} is thrown and the file is left alone. Returns the saved configuration.
     */
    CtlConfig update(Function<CtlConfig, Optional<CtlConfig>> change, Supplier<CtlException> refusal) {
        CtlConfig updated = change.apply(load()).orElseThrow(refusal);
        save(updated);
        return updated;
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
                            PosixFilePermissions.fromString("rw-------")))
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
