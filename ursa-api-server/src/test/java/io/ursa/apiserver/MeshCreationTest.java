package io.ursa.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ursa.ca.BuiltinCaPlugin;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * What a user sees right after {@code PUT /meshes/{name}} answers 201: the mesh with its default policies, its
 * signing key and its builtin CA's Secrets, all readable at once, and the CA's "created" line in the log.
 */
class MeshCreationTest {
    private static final String BUILTIN_CA_MESH = """
            type: Mesh
            name: fresh
            mtls:
              enabledBackend: ca-1
              backends:
                - name: ca-1
                  type: builtin
            """;

    private final Logger caLogger = (Logger) LoggerFactory.getLogger(BuiltinCaPlugin.class);
    private final ListAppender<ILoggingEvent> caLines = new ListAppender<>();
    private Level levelBefore;
    private TestServer api;

    @BeforeEach
    void start() {
        levelBefore = caLogger.getLevel();
        caLogger.setLevel(Level.INFO);
        caLines.start();
        caLogger.addAppender(caLines);
        api = TestServer.start();
    }

    @AfterEach
    void stop() {
        api.close();
        caLogger.detachAppender(caLines);
        caLogger.setLevel(levelBefore);
    }

    @Test
    void aNewMeshHasItsDefaultsSigningKeyAndCaRightAfterThe201() {
        Reply created = api.putYaml("/meshes/fresh", BUILTIN_CA_MESH);

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        for (String path : List.of(
                "/meshes/fresh/traffic-permissions/allow-all-fresh",
                "/meshes/fresh/traffic-routes/route-all-fresh",
                "/meshes/fresh/timeouts/timeout-all-fresh",
                "/meshes/fresh/circuit-breakers/circuit-breaker-all-fresh",
                "/meshes/fresh/retries/retry-all-fresh",
                "/meshes/fresh/secrets/dataplane-token-signing-key-fresh-1",
                "/meshes/fresh/secrets/fresh.ca-builtin-key-ca-1",
                "/meshes/fresh/secrets/fresh.ca-builtin-cert-ca-1")) {
            Reply reply = api.get(path);
            assertThat(reply.status()).as(path + ": " + reply).isEqualTo(200);
        }
        assertThat(caLines.list).extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly("created the builtin CA of mesh fresh (backend ca-1, RSA 2048 bits, valid for "
                        + "PT87600H)");
    }

    @Test
    void aMeshThatFailsValidationLeavesNothingAndLogsNoCa() {
        Reply refused = api.putYaml("/meshes/fresh", BUILTIN_CA_MESH + "    conf: {caCert: {RSAbits: 512}}\n");

        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(api.get("/meshes/fresh").status()).isEqualTo(404);
        assertThat(api.get("/meshes/fresh/secrets").json().path("items")).isEmpty();
        assertThat(caLines.list).isEmpty();
    }
}
