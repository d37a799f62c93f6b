package io.ursa.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Properties;

/**
 * Connections to the PostgreSQL database of {@link PostgresSettings}: the store's bounded HikariCP pool and single
 * connections of their own (the change feed's LISTEN connection, the migrator's). TLS maps Kuma's modes to the
 * driver's {@code sslmode} and the paths to {@code sslcert}, {@code sslkey} and {@code sslrootcert}.
 */
final class PostgresConnections {
    private static final String APPLICATION_NAME = "ursa-cp";

    private PostgresConnections() {
    }

    static String url(PostgresSettings s) {
        return "jdbc:postgresql://" + s.hostAndPort() + "/"
                + java.net.URLEncoder.encode(s.dbName(), StandardCharsets.UTF_8);
    }

    /** The driver's properties: credentials, TLS, timeouts. */
    static Properties properties(PostgresSettings s) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", s.user());
        if (!s.password().isEmpty()) {
            p.setProperty("password", s.password());
        }
        p.setProperty("ApplicationName", APPLICATION_NAME);
        p.setProperty("sslmode", s.tlsMode().sslMode());
        if (!s.tlsCaPath().isBlank()) {
            p.setProperty("sslrootcert", s.tlsCaPath());
        }
        if (!s.tlsCertPath().isBlank()) {
            requireDriverReadableKey(s);
            p.setProperty("sslcert", s.tlsCertPath());
            p.setProperty("sslkey", s.tlsKeyPath());
        }
        // seconds; also bounds the TLS handshake and authentication
        p.setProperty("connectTimeout", Long.toString(Math.max(1, (s.connectionTimeout().toMillis() + 999) / 1000)));
        p.setProperty("loginTimeout", Long.toString(Math.max(1, (s.connectionTimeout().toMillis() + 999) / 1000)));
        p.setProperty("tcpKeepAlive", "true");
        return p;
    }

    /** The driver reads PKCS-8 DER or PKCS-12 keys only; a PEM key would fail later with an obscure message. */
    private static void requireDriverReadableKey(PostgresSettings s) throws SQLException {
        byte[] start = new byte[10];
        int read;
        try (InputStream in = Files.newInputStream(Path.of(s.tlsKeyPath()))) {
            read = in.readNBytes(start, 0, start.length);
        } catch (IOException e) {
            throw new SQLException("cannot read tlsKeyPath " + s.tlsKeyPath() + ": " + e, e);
        }
        if (new String(Arrays.copyOf(start, read), StandardCharsets.US_ASCII).startsWith("-----BEGIN")) {
            throw new SQLException("tlsKeyPath " + s.tlsKeyPath() + " is a PEM file, but the PostgreSQL driver reads a"
                    + " PKCS-8 DER key (.pk8) or a PKCS-12 file (.p12): convert it with `openssl pkcs8 -topk8 -inform"
                    + " PEM -outform DER -nocrypt -in key.pem -out key.pk8`");
        }
    }

    /** One connection outside the pool. */
    static Connection connect(PostgresSettings s) throws SQLException {
        return connect(s, new Properties());
    }

    /** One connection outside the pool, with {@code extra} driver properties (timeouts, session options). */
    static Connection connect(PostgresSettings s, Properties extra) throws SQLException {
        Properties properties = properties(s);
        properties.putAll(extra);
        Connection c = new org.postgresql.Driver().connect(url(s), properties);
        if (c == null) {
            throw new SQLException("the PostgreSQL driver did not accept " + url(s));
        }
        return c;
    }

    /**
     * The store's pool: at most {@code maxOpenConnections}, waiting at most {@code connectionTimeout} for one. It
     * opens a first connection before returning (fails if it cannot); a connection that broke (the server went
     * away) is dropped and replaced by a new one when the server is back.
     */
    static HikariDataSource pool(PostgresSettings s) throws SQLException {
        HikariConfig config = new HikariConfig();
        config.setPoolName("ursa-postgres");
        config.setDriverClassName(org.postgresql.Driver.class.getName());
        config.setJdbcUrl(url(s));
        Properties properties = properties(s);
        // HikariCP keeps the password to itself (its logs mask it)
        properties.remove("password");
        properties.remove("user");
        config.setUsername(s.user());
        if (!s.password().isEmpty()) {
            config.setPassword(s.password());
        }
        config.setDataSourceProperties(properties);
        config.setMaximumPoolSize(s.maxOpenConnections());
        config.setMinimumIdle(Math.min(2, s.maxOpenConnections()));
        config.setConnectionTimeout(s.connectionTimeout().toMillis());
        config.setValidationTimeout(Math.min(s.connectionTimeout().toMillis(), 5_000));
        config.setInitializationFailTimeout(s.connectionTimeout().toMillis());
        return new HikariDataSource(config);
    }
}
