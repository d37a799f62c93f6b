package io.ursa.cp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ursa.core.config.ConfigException;
import io.ursa.cp.config.CpConfig;
import io.ursa.cp.config.CpConfigLoader;
import io.ursa.store.jdbc.PostgresSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code store.postgres} from Kuma's variable names to the store's settings, checked, and masked in /config. */
class StoreWiringTest {
    private static final Map<String, String> POSTGRES = Map.ofEntries(
            Map.entry("URSA_STORE_TYPE", "postgres"),
            Map.entry("URSA_STORE_POSTGRES_HOST", "db.example"),
            Map.entry("URSA_STORE_POSTGRES_PORT", "15432"),
            Map.entry("URSA_STORE_POSTGRES_USER", "cp"),
            Map.entry("URSA_STORE_POSTGRES_PASSWORD", "s3cret"),
            Map.entry("URSA_STORE_POSTGRES_DB_NAME", "mesh"),
            Map.entry("URSA_STORE_POSTGRES_TLS_MODE", "verifyFull"),
            Map.entry("URSA_STORE_POSTGRES_TLS_CERT_PATH", "/etc/ursa/client.crt"),
            Map.entry("URSA_STORE_POSTGRES_TLS_KEY_PATH", "/etc/ursa/client.pk8"),
            Map.entry("URSA_STORE_POSTGRES_TLS_CA_PATH", "/etc/ursa/ca.crt"),
            Map.entry("URSA_STORE_POSTGRES_MAX_OPEN_CONNECTIONS", "7"),
            Map.entry("URSA_STORE_POSTGRES_CONNECTION_TIMEOUT", "3"));

    private static CpConfig.Store.Postgres load(Map<String, String> env) {
        return CpConfigLoader.load(null, env).config().store().postgres();
    }

    @Test
    void everyKumaSettingHasItsVariable() {
        CpConfig.Store store = CpConfigLoader.load(null, POSTGRES).config().store();

        assertThat(store.type()).isEqualTo(CpConfig.StoreType.postgres);
        assertThat(StoreWiring.postgres(store.postgres())).isEqualTo(new PostgresSettings("db.example", 15432, "cp",
                "s3cret", "mesh", PostgresSettings.TlsMode.verifyFull, "/etc/ursa/client.crt",
                "/etc/ursa/client.pk8", "/etc/ursa/ca.crt", 7, Duration.ofSeconds(3)));
        assertThat(store.postgres().toString()).doesNotContain("s3cret");
    }

    @Test
    void kumasVariablesWorkThroughTheAliases() {
        var loaded = CpConfigLoader.load(null, Map.of("KUMA_STORE_TYPE", "postgres",
                "KUMA_STORE_POSTGRES_DB_NAME", "kuma", "KUMA_STORE_POSTGRES_TLS_MODE", "verifyNone",
                "KUMA_STORE_POSTGRES_MAX_OPEN_CONNECTIONS", "3"));

        assertThat(loaded.config().store().type()).isEqualTo(CpConfig.StoreType.postgres);
        assertThat(loaded.config().store().postgres().dbName()).isEqualTo("kuma");
        assertThat(StoreWiring.postgres(loaded.config().store().postgres()).tlsMode())
                .isEqualTo(PostgresSettings.TlsMode.verifyNone);
        assertThat(loaded.config().store().postgres().maxOpenConnections()).isEqualTo(3);
    }

    @Test
    void defaultsAreKumasPortAndAFiveSecondTimeout() {
        PostgresSettings settings = StoreWiring.postgres(load(Map.of("URSA_STORE_POSTGRES_TLS_CA_PATH", "ca.pem")));

        assertThat(settings.port()).isEqualTo(5432);
        assertThat(settings.tlsMode()).isEqualTo(PostgresSettings.TlsMode.verifyFull);
        assertThat(settings.connectionTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.maxOpenConnections()).isEqualTo(50);
    }

    @Test
    void theServerIsVerifiedByDefaultSoADatabaseWithoutACaIsRefusedUntilTlsIsTurnedOffKnowingly() {
        assertThatThrownBy(() -> StoreWiring.postgres(load(Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid store.postgres: tlsMode verifyFull needs tlsCaPath (the CA certificate that"
                        + " signed the server's; or tlsMode disable for a database on this host or a trusted"
                        + " network)");

        assertThat(StoreWiring.postgres(load(Map.of("URSA_STORE_POSTGRES_TLS_MODE", "disable"))).tlsMode())
                .isEqualTo(PostgresSettings.TlsMode.disable);
    }

    @Test
    void badSettingsAreRefusedWithTheirKeys() {
        assertThatThrownBy(() -> StoreWiring.postgres(load(Map.of("URSA_STORE_POSTGRES_TLS_MODE", "strict"))))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid store.postgres.tlsMode: \"strict\" (expected: disable, verifyNone, verifyCa,"
                        + " verifyFull)");
        assertThatThrownBy(() -> StoreWiring.postgres(load(Map.of("URSA_STORE_POSTGRES_CONNECTION_TIMEOUT", "soon"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("invalid store.postgres.connectionTimeout: \"soon\"");
        assertThatThrownBy(() -> StoreWiring.postgres(load(Map.of("URSA_STORE_POSTGRES_HOST", "",
                "URSA_STORE_POSTGRES_PORT", "70000", "URSA_STORE_POSTGRES_TLS_MODE", "verifyCa",
                "URSA_STORE_POSTGRES_MAX_OPEN_CONNECTIONS", "0"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("invalid store.postgres: host is empty")
                .hasMessageContaining("invalid port: 70000 (expected: 1-65535)")
                .hasMessageContaining("tlsMode verifyCa needs tlsCaPath")
                .hasMessageContaining("invalid maxOpenConnections: 0 (expected: >= 1)");
    }

    @Test
    void configShowsThePasswordMasked() {
        var tree = CpConfigLoader.load(null, POSTGRES).tree();

        assertThat(StoreWiring.masked(tree).at("/store/postgres/password").asText()).isEqualTo("***");
        assertThat(StoreWiring.masked(tree).toString()).doesNotContain("s3cret");
        assertThat(tree.at("/store/postgres/password").asText()).as("the original is left alone").isEqualTo("s3cret");
        assertThat(StoreWiring.masked(CpConfigLoader.load(null, Map.of()).tree()).at("/store/postgres/password")
                .asText()).as("no password: nothing to mask").isEmpty();
    }
}
