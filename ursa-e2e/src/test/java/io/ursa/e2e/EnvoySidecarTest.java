package io.ursa.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Envoy sidecar path end to end: the real control plane and the real {@code bin/ursa-dp run} with a dataplane
 * definition and token, fetching the bootstrap over the DP server, starting "Envoy" ({@link FakeEnvoy}, which
 * speaks ADS as Envoy does from the bootstrap it is given), which registers the Dataplane and receives its
 * configuration; SIGTERM stops it and the Dataplane is deregistered.
 */
class EnvoySidecarTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String DATAPLANE = """
            type: Dataplane
            mesh: {{mesh}}
            name: web-1
            networking:
              address: 127.0.0.1
              inbound:
              - port: 18080
                servicePort: 8080
                tags:
                  kuma.io/service: web
                  kuma.io/protocol: http
            """;

    @TempDir
    Path tmp;

    /** Over either variant of xDS: delta, the control plane's default, and state of the world, asked for. */
    @ParameterizedTest
    @ValueSource(strings = {"", "sotw"})
    void aSidecarRegistersGetsItsConfigurationAndLeavesOnSigterm(String xdsProtocol) throws Exception {
        try (CpProcess cp = CpProcess.start(tmp.resolve("store"), Path.of("target", "e2e-logs"),
                Map.of("URSA_XDS_SERVER_DATAPLANE_DEREGISTRATION_DELAY", "1s"))) {
            Ursactl ctl = new Ursactl(tmp.resolve("ursactl.yaml"));
            assertOk(ctl.run(null, "config", "control-planes", "add", "--name", "e2e", "--address", cp.apiUrl()));
            Ursactl.Result token = ctl.run(null, "generate", "dataplane-token", "--mesh", "default", "--name", "web-1");
            assertOk(token);
            Path tokenFile = Files.writeString(tmp.resolve("token"), token.out());
            Path definition = Files.writeString(tmp.resolve("web.yaml"), DATAPLANE);
            Path configDir = Files.createDirectories(tmp.resolve("envoy"));

            Process dp = startDp(cp, "--dataplane-file", definition.toString(), "-v", "mesh=default",
                    "--dataplane-token-file", tokenFile.toString(), "--config-dir", configDir.toString(),
                    "--xds-protocol", xdsProtocol);
            try {
                Path received = configDir.resolve("received.txt");
                try {
                    await().atMost(WAIT).until(() -> read(received).contains("Listener inbound:127.0.0.1:18080"));
                } catch (ConditionTimeoutException e) {
                    throw new AssertionError("Envoy did not receive its inbound listener; ursa-dp said:\n"
                            + read(tmp.resolve("ursa-dp.log")) + "\ncontrol plane log:\n" + cp.output(), e);
                }
                assertThat(read(received)).contains("Cluster localhost:8080").doesNotContain("UNPARSABLE");
                assertThat(read(configDir.resolve("bootstrap.yaml"))).contains(xdsProtocol.equals("sotw")
                        ? "apiType: GRPC" : "apiType: DELTA_GRPC");
                JsonNode overview = get(cp, "/meshes/default/dataplanes+insights/web-1");
                assertThat(overview.at("/dataplane/networking/inbound/0/port").asInt()).isEqualTo(18080);
                await().atMost(WAIT).until(() -> get(cp, "/meshes/default/dataplanes+insights/web-1")
                        .at("/dataplaneInsight/subscriptions/0/status/lds/responsesAcknowledged").asText().equals("1"));
                assertThat(Files.exists(configDir.resolve("stream-error.txt"))).isFalse();
            } finally {
                dp.destroy(); // SIGTERM: ursa-dp stops Envoy and exits
                assertThat(dp.waitFor(30, TimeUnit.SECONDS)).as("ursa-dp exits after SIGTERM").isTrue();
            }
            await().atMost(WAIT).until(() -> status(cp, "/meshes/default/dataplanes/web-1") == 404);
        }
    }

    @Test
    void aSidecarOfAMeshThatDoesNotExistStopsWithItsName() throws Exception {
        try (CpProcess cp = CpProcess.start(tmp.resolve("store"), Path.of("target", "e2e-logs"), Map.of())) {
            Path definition = Files.writeString(tmp.resolve("web.yaml"), DATAPLANE);
            Path configDir = Files.createDirectories(tmp.resolve("envoy"));

            Process dp = startDp(cp, "--dataplane-file", definition.toString(), "-v", "mesh=payments",
                    "--dataplane-token", "eyJhbGciOiJSUzI1NiJ9.e30.c2ln", "--config-dir", configDir.toString());

            assertThat(dp.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String output = read(tmp.resolve("ursa-dp.log"));
            assertThat(dp.exitValue()).as(output).isNotZero();
            assertThat(output).contains("mesh \"payments\" does not exist");
        }
    }

    private Process startDp(CpProcess cp, String... args) throws IOException, InterruptedException {
        return DpProcess.start(tmp, cp, "ursa-dp", args);
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }

    private static JsonNode get(CpProcess cp, String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(cp.apiUrl() + path)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    private static int status(CpProcess cp, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(cp.apiUrl() + path)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static void assertOk(Ursactl.Result result) {
        assertThat(result.exitCode()).as(result.toString()).isZero();
    }
}
