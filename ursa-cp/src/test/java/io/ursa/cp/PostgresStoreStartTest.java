package io.ursa.cp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ursa.api.resource.ResourceTypes;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The control plane on PostgreSQL, configured by environment variables alone: {@code ursa-cp migrate up}, then
 * {@code run}. One embedded PostgreSQL server for the class, a database per test.
 */
class PostgresStoreStartTest {
    private static EmbeddedPostgres server;
    private static final AtomicInteger databases = new AtomicInteger();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void startServer() throws Exception {
        server = EmbeddedPostgres.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    /** A new database, and the variables (Kuma's names with URSA_) that point the control plane at it. */
    private static Map<String, String> newDatabase(String prefix) throws Exception {
        String name = "cp_test_" + databases.incrementAndGet();
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        Map<String, String> env = new HashMap<>();
        env.put(prefix + "_STORE_TYPE", "postgres");
        env.put(prefix + "_STORE_POSTGRES_HOST", "localhost");
        env.put(prefix + "_STORE_POSTGRES_PORT", Integer.toString(server.getPort()));
        env.put(prefix + "_STORE_POSTGRES_USER", "postgres");
        env.put(prefix + "_STORE_POSTGRES_PASSWORD", "never-shown");
        env.put(prefix + "_STORE_POSTGRES_DB_NAME", name);
        env.put(prefix + "_STORE_POSTGRES_CONNECTION_TIMEOUT", "2s");
        env.put(prefix + "_STORE_POSTGRES_TLS_MODE", "disable");
        return env;
    }

    private int migrateUp(Map<String, String> env) {
        return UrsaCp.MigrateUp.migrateUp(null, env, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void migrateUpAppliesTheSchemaOnceAndThenSaysItIsCurrent() throws Exception {
        Map<String, String> env = newDatabase("URSA");
        String database = "PostgreSQL " + env.get("URSA_STORE_POSTGRES_DB_NAME") + " at localhost:" + server.getPort();

        assertThat(migrateUp(env)).isZero();
        assertThat(out.toString()).isEqualTo("Applied to " + database + ": V1 (resources), V2 (control plane instances),"
                + " V3 (proxy connections). The schema is current (version 3).\n");
        out.getBuffer().setLength(0);

        assertThat(migrateUp(env)).isZero();
        assertThat(out.toString()).isEqualTo("The schema of " + database + " is current (version 3).\n");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void migrateUpFailsClearlyWhenTheDatabaseIsUnreachable() throws Exception {
        Map<String, String> env = newDatabase("URSA");
        env.put("URSA_STORE_POSTGRES_PORT", "1");

        assertThat(migrateUp(env)).isEqualTo(1);
        assertThat(err.toString()).startsWith("Error: could not migrate PostgreSQL " + env.get(
                "URSA_STORE_POSTGRES_DB_NAME") + " at localhost:1: ").doesNotContain("never-shown");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void migrateUpSaysItIsForPostgresOnly() {
        assertThat(migrateUp(Map.of("URSA_STORE_TYPE", "embedded"))).isEqualTo(1);
        assertThat(err.toString()).startsWith("Error: store.type is embedded: migrate up is for the PostgreSQL store");
    }

    @Test
    void migrateUpIsACommandNextToRun() {
        StringWriter help = new StringWriter();
        var commandLine = UrsaCp.commandLine();
        commandLine.setOut(new PrintWriter(help, true));
        assertThat(commandLine.execute("--help")).isZero();
        assertThat(help.toString()).contains("run").contains("migrate");
        assertThat(commandLine.execute("migrate", "up", "--help")).isZero();
        assertThat(help.toString()).contains("--config-file=FILE").contains("kuma-cp migrate up");
    }

    @Test
    void aControlPlaneConfiguredByKumasVariablesRunsOnTheMigratedDatabase() throws Exception {
        Map<String, String> env = newDatabase("KUMA");
        env.put("URSA_API_SERVER_HTTP_PORT", "0");
        env.put("URSA_API_SERVER_HTTPS_ENABLED", "false");
        env.put("URSA_DIAGNOSTICS_SERVER_PORT", "0");
        env.put("URSA_DP_SERVER_PORT", "0");
        String dbName = env.get("KUMA_STORE_POSTGRES_DB_NAME");

        assertThatThrownBy(() -> ControlPlane.start(null, env))
                .isInstanceOf(ControlPlane.StartupException.class)
                .hasMessage("PostgreSQL " + dbName + " at localhost:" + server.getPort() + " has schema version 0,"
                        + " this Ursa needs 3: run \"ursa-cp migrate up\" with the same configuration");
        assertThat(migrateUp(env)).isZero();

        try (ControlPlane cp = ControlPlane.start(null, env)) {
            assertThat(cp.manager().store().describe())
                    .isEqualTo("postgres (" + dbName + " at localhost:" + server.getPort() + ", tls disable)");
            assertThat(cp.manager().store().get(ResourceTypes.MESH, "", "default")).isPresent();
            HttpResponse<String> config = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + cp.apiPort() + "/config")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(config.statusCode()).isEqualTo(200);
            assertThat(config.body()).doesNotContain("never-shown");
            assertThat(new ObjectMapper().readTree(config.body()).at("/store/postgres/password").asText())
                    .isEqualTo("***");
        }
    }
}
