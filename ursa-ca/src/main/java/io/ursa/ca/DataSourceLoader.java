package io.ursa.ca;

import io.ursa.api.spec.DataSource;
import io.ursa.core.ca.SecretAccess;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Loads the bytes a data source points at, like Kuma's {@code datasource.Loader}: Secrets are read in the mesh
 * being configured, files from the CP host. Failures carry Kuma's texts
 * ({@code could not load data: open /x: no such file or directory}). Used for CA backends ({@link CaDataSource})
 * and, through {@link #load(String, DataSource, SecretAccess)}, for the resources' own {@code DataSource} fields
 * (an ExternalService's TLS material). Stateless.
 */
public final class DataSourceLoader {
    /** The most a file data source may hold; devices, pipes and directories are refused outright. */
    static final int MAX_FILE_BYTES = 1 << 20;

    private DataSourceLoader() {
    }

    /**
     * The bytes of {@code source}, a {@code DataSource} field of a resource in {@code mesh}.
     *
     * @throws LoadException when the Secret or file is missing or unreadable, or no member is set
     */
    public static byte[] load(String mesh, DataSource source, SecretAccess secrets) throws LoadException {
        byte[] none = new byte[0];
        CaDataSource ca;
        if (source.secret() != null) {
            ca = new CaDataSource(CaDataSource.Kind.SECRET, source.secret(), none);
        } else if (source.file() != null) {
            ca = new CaDataSource(CaDataSource.Kind.FILE, source.file(), none);
        } else if (source.inline() != null) {
            ca = new CaDataSource(CaDataSource.Kind.INLINE, "", source.inline().bytes());
        } else if (source.inlineString() != null) {
            ca = new CaDataSource(CaDataSource.Kind.INLINE_STRING, source.inlineString(), none);
        } else {
            ca = new CaDataSource(CaDataSource.Kind.UNSET, "", none);
        }
        return load(mesh, ca, secrets);
    }

    static byte[] load(String mesh, CaDataSource source, SecretAccess secrets) throws LoadException {
        return switch (source.kind()) {
            case SECRET -> secrets.read(mesh, source.value()).orElseThrow(() -> new LoadException(
                    "could not load data: Resource not found: type=\"Secret\" name=\"" + source.value()
                            + "\" mesh=\"" + mesh + "\""));
            case FILE -> readFile(source.value());
            case INLINE -> source.inline();
            case INLINE_STRING -> source.value().getBytes(StandardCharsets.UTF_8);
            case UNSET -> throw new LoadException("unsupported type of the DataSource");
        };
    }

    private static byte[] readFile(String file) throws LoadException {
        try {
            Path path = Path.of(file);
            if (Files.isDirectory(path)) {
                throw new LoadException("could not load data: read " + file + ": is a directory");
            }
            if (Files.exists(path) && !Files.isRegularFile(path)) {
                throw new LoadException("could not load data: read " + file + ": not a regular file");
            }
            try (InputStream in = Files.newInputStream(path)) {
                byte[] data = in.readNBytes(MAX_FILE_BYTES + 1);
                if (data.length > MAX_FILE_BYTES) {
                    throw new LoadException("could not load data: read " + file + ": larger than "
                            + MAX_FILE_BYTES + " bytes (a certificate or key is a few kilobytes)");
                }
                return data;
            }
        } catch (NoSuchFileException e) {
            throw new LoadException("could not load data: open " + file + ": no such file or directory");
        } catch (AccessDeniedException e) {
            throw new LoadException("could not load data: open " + file + ": permission denied");
        } catch (InvalidPathException e) {
            throw new LoadException("could not load data: open " + file + ": invalid argument");
        } catch (IOException e) {
            throw new LoadException("could not load data: open " + file + ": " + e.getMessage());
        }
    }

    /** A data source could not be loaded; the message is the violation text. */
    public static final class LoadException extends Exception {
        LoadException(String message) {
            super(message);
        }
    }
}
