package io.ursa.store.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The migrations of the embedded store, read from {@code db/migration/} on the classpath, and those of the
 * PostgreSQL store, from {@code db/postgres/} (each database has its own SQL and its own version numbers). A class path cannot be
 * listed reliably (a jar is not a directory), so the files are named here; a test checks that this list and the
 * folder agree. To change the schema, add {@code V<n+1>__<what>.sql} and its name below; never edit a released
 * file.
 */
final class Migrations {
    static final String FOLDER = "db/migration/";
    static final List<String> FILES = List.of(
            "V1__resources.sql");
    static final String POSTGRES_FOLDER = "db/postgres/";
    static final List<String> POSTGRES_FILES = List.of(
            "V1__resources.sql",
            "V2__control_plane_instances.sql",
            "V3__proxy_connections.sql");

    private Migrations() {
    }

    static List<Migration> standard() {
        return load(Migrations.class.getClassLoader(), FOLDER, FILES);
    }

    static List<Migration> postgres() {
        return load(Migrations.class.getClassLoader(), POSTGRES_FOLDER, POSTGRES_FILES);
    }

    static List<Migration> load(ClassLoader loader, String folder, List<String> files) {
        List<Migration> migrations = new ArrayList<>();
        for (String file : files) {
            String resource = folder + file;
            try (InputStream in = loader.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("migration script " + resource + " is missing from the classpath");
                }
                migrations.add(Migration.fromFile(file, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException("could not read migration script " + resource, e);
            }
        }
        return List.copyOf(migrations);
    }
}
