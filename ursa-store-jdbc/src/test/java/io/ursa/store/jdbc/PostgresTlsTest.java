package io.ursa.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.store.StoreUnavailableException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** TLS to a server with a test CA's certificate for localhost (the shared test server has ssl=on). */
class PostgresTlsTest {
    private final TestPostgres postgres = TestPostgres.shared();

    private PostgresSettings tls(PostgresSettings plain, PostgresSettings.TlsMode mode, String caPath) {
        return new PostgresSettings(plain.host(), plain.port(), plain.user(), plain.password(), plain.dbName(), mode,
                "", "", caPath, 2, Duration.ofSeconds(2));
    }

    @Test
    void verifyFullWithTheServersCaConnectsOverTls() throws Exception {
        PostgresSettings settings = tls(postgres.migratedDatabase(), PostgresSettings.TlsMode.verifyFull,
                postgres.certificates().caCert().toString());

        try (PostgresResourceStore store = PostgresResourceStore.open(settings, ResourceTypes.standard(), "tls")) {
            assertThat(store.count(ResourceTypes.MESH, "")).isZero();
            assertThat(store.describe()).isEqualTo("postgres (" + settings.dbName() + " at localhost:"
                    + postgres.port() + ", tls verifyFull)");
        }
        try (Connection c = PostgresConnections.connect(settings); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
            rs.next();
            assertThat(rs.getBoolean(1)).as("the connection uses TLS").isTrue();
        }
    }

    @Test
    void verifyFullWithAnotherCaIsRefused() {
        PostgresSettings settings = tls(postgres.migratedDatabase(), PostgresSettings.TlsMode.verifyFull,
                postgres.certificates().otherCaCert().toString());

        assertThatThrownBy(() -> PostgresResourceStore.open(settings, ResourceTypes.standard(), "tls"))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageStartingWith("could not connect to " + settings.describe() + ": ")
                .hasMessageContaining("SSL error");
    }

    @Test
    void verifyNoneEncryptsWithoutCheckingTheCertificate() {
        PostgresSettings settings = tls(postgres.migratedDatabase(), PostgresSettings.TlsMode.verifyNone, "");

        try (PostgresResourceStore store = PostgresResourceStore.open(settings, ResourceTypes.standard(), "tls")) {
            assertThat(store.count(ResourceTypes.MESH, "")).isZero();
        }
    }

    @Test
    void aPemClientKeyIsRefusedWithHowToConvertIt() {
        PostgresSettings plain = postgres.migratedDatabase();
        PostgresSettings settings = new PostgresSettings(plain.host(), plain.port(), plain.user(), "",
                plain.dbName(), PostgresSettings.TlsMode.verifyFull, postgres.certificates().serverCert().toString(),
                postgres.certificates().serverKey().toString(), postgres.certificates().caCert().toString(), 2,
                Duration.ofSeconds(2));

        assertThatThrownBy(() -> PostgresResourceStore.open(settings, ResourceTypes.standard(), "tls"))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("is a PEM file")
                .hasMessageContaining("openssl pkcs8 -topk8");
    }

    @Test
    void settingsNameEveryProblem() {
        assertThatThrownBy(() -> new PostgresSettings("", 0, "", "secret", "", PostgresSettings.TlsMode.verifyCa,
                "", "", "", 0, Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("host is empty (expected: the database server's host name or address); invalid port: 0"
                        + " (expected: 1-65535); user is empty (expected: the database user); dbName is empty"
                        + " (expected: the name of the database); tlsMode verifyCa needs tlsCaPath (the CA"
                        + " certificate that signed the server's; or tlsMode disable for a database on this host or a"
                        + " trusted network); invalid maxOpenConnections: 0 (expected: >= 1)");
        PostgresSettings settings = new PostgresSettings("db", 5432, "ursa", "secret", "ursa",
                PostgresSettings.TlsMode.disable, "", "", "", 1, Duration.ofSeconds(5));
        assertThat(settings.toString()).doesNotContain("secret").contains("password=***");
    }
}
