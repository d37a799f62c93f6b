package io.ursa.store.jdbc;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the PostgreSQL store connects and how: Kuma's {@code store.postgres} settings. {@code password} may be
 * empty (trust or certificate authentication) and never appears in {@link #toString}, {@link #describe} or any
 * message of the store. The TLS paths are empty when unused; {@code tlsKeyPath} is a PKCS-8 DER ({@code .pk8}) or
 * PKCS-12 ({@code .p12}, {@code .pfx}) file, as the PostgreSQL JDBC driver reads no PEM keys.
 *
 * @param maxOpenConnections the most connections the store's pool opens (the change feed has one more of its own)
 * @param connectionTimeout  how long a read or write waits for a connection before it fails; also the driver's
 *                           connect timeout
 */
public record PostgresSettings(String host, int port, String user, String password, String dbName, TlsMode tlsMode,
                               String tlsCertPath, String tlsKeyPath, String tlsCaPath, int maxOpenConnections,
                               Duration connectionTimeout) {

    /** Kuma's TLS modes and the PostgreSQL JDBC driver's {@code sslmode} each maps to. */
    public enum TlsMode {
        /** No TLS. */
        disable("disable"),
        /** TLS without checking the server's certificate. */
        verifyNone("require"),
        /** TLS with the server's certificate checked against {@code tlsCaPath}. */
        verifyCa("verify-ca"),
        /** As {@link #verifyCa}, and the certificate must name {@code host}. */
        verifyFull("verify-full");

        private final String sslMode;

        TlsMode(String sslMode) {
            this.sslMode = sslMode;
        }

        /** The driver's {@code sslmode}. */
        public String sslMode() {
            return sslMode;
        }

        boolean verifies() {
            return this == verifyCa || this == verifyFull;
        }
    }

    /** @throws IllegalArgumentException naming every bad setting */
    public PostgresSettings {
        requireNonNull(host, "host");
        requireNonNull(user, "user");
        requireNonNull(password, "password");
        requireNonNull(dbName, "dbName");
        requireNonNull(tlsMode, "tlsMode");
        requireNonNull(tlsCertPath, "tlsCertPath");
        requireNonNull(tlsKeyPath, "tlsKeyPath");
        requireNonNull(tlsCaPath, "tlsCaPath");
        requireNonNull(connectionTimeout, "connectionTimeout");
        List<String> problems = new ArrayList<>();
        if (host.isBlank()) {
            problems.add("host is empty (expected: the database server's host name or address)");
        }
        if (port < 1 || port > 65535) {
            problems.add("invalid port: " + port + " (expected: 1-65535)");
        }
        if (user.isBlank()) {
            problems.add("user is empty (expected: the database user)");
        }
        if (dbName.isBlank()) {
            problems.add("dbName is empty (expected: the name of the database)");
        }
        if (tlsMode.verifies() && tlsCaPath.isBlank()) {
            problems.add("tlsMode " + tlsMode + " needs tlsCaPath (the CA certificate that signed the server's; or"
                    + " tlsMode disable for a database on this host or a trusted network)");
        }
        if (tlsCertPath.isBlank() != tlsKeyPath.isBlank()) {
            problems.add("tlsCertPath and tlsKeyPath go together (expected: both, for a client certificate, or "
                    + "neither)");
        }
        if (tlsMode == TlsMode.disable && !(tlsCertPath.isBlank() && tlsCaPath.isBlank())) {
            problems.add("tlsMode disable with TLS files set (expected: a TLS mode such as verifyFull, or no files)");
        }
        if (maxOpenConnections < 1) {
            problems.add("invalid maxOpenConnections: " + maxOpenConnections + " (expected: >= 1)");
        }
        if (connectionTimeout.toMillis() < 250) {
            problems.add("invalid connectionTimeout: " + connectionTimeout + " (expected: at least 250ms)");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /** How the store names its database in logs and errors: {@code PostgreSQL ursa at db.example:5432}. */
    public String describe() {
        return "PostgreSQL " + dbName + " at " + hostAndPort();
    }

    String hostAndPort() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return "PostgresSettings[host=" + host + ", port=" + port + ", user=" + user + ", password="
                + (password.isEmpty() ? "" : "***") + ", dbName=" + dbName + ", tlsMode=" + tlsMode + ", tlsCertPath="
                + tlsCertPath + ", tlsKeyPath=" + tlsKeyPath + ", tlsCaPath=" + tlsCaPath + ", maxOpenConnections="
                + maxOpenConnections + ", connectionTimeout=" + connectionTimeout + "]";
    }
}
