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

/**
 * Zone egress end to end, as an operator sets it up: a mesh with mTLS and {@code routing.zoneEgress} and an
 * ExternalService applied with ursactl, a zone token from {@code ursactl generate zone-token}, and the real
 * {@code bin/ursa-dp run --proxy-type egress} (with {@link FakeEnvoy} as Envoy), which registers the ZoneEgress and
 * gets the egress's listener and the mesh's cluster of the ExternalService; a dataplane token does not let it in;
 * SIGTERM deregisters it.
 */
class ZoneEgressTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String MESH = """
            type: Mesh
            name: default
            mtls:
              enabledBackend: ca-1
              backends:
              - name: ca-1
                type: builtin
            routing:
              zoneEgress: true
            ---
            type: ExternalService
            mesh: default
            name: httpbin
            networking:
              address: httpbin.org:443
              tls: {enabled: true}
            tags:
              kuma.io/service: httpbin
              kuma.io/protocol: http
            """;
    private static final String EGRESS = """
            type: ZoneEgress
            name: egress-1
            networking:
              address: 127.0.0.1
              port: 10002
              admin:
                port: 19902
            """;

    @TempDir
    Path tmp;

    @Test
    void aZoneEgressWithAZoneTokenRegistersAndGetsTheExternalServicesOfItsMeshes() throws Exception {
        try (CpProcess cp = CpProcess.start(tmp.resolve("store"), Path.of("target", "e2e-logs"),
                Map.of("URSA_XDS_SERVER_DATAPLANE_DEREGISTRATION_DELAY", "1s"))) {
            Ursactl ctl = new Ursactl(tmp.resolve("ursactl.yaml"));
            assertOk(ctl.run(null, "config", "control-planes", "add", "--name", "e2e", "--address", cp.apiUrl()));
            assertOk(ctl.run(MESH, "apply", "-f", "-"));
            Ursactl.Result zoneToken = ctl.run(null, "generate", "zone-token", "--scope", "egress",
                    "--valid-for", "1h");
            assertOk(zoneToken);
            Ursactl.Result dataplaneToken = ctl.run(null, "generate", "dataplane-token", "--mesh", "default",
                    "--name", "egress-1");
            assertOk(dataplaneToken);
            Path definition = Files.writeString(tmp.resolve("egress.yaml"), EGRESS);

            Path refusedDir = Files.createDirectories(tmp.resolve("refused"));
            Process refused = startDp(cp, "refused", "--proxy-type", "egress", "--dataplane-file",
                    definition.toString(), "--dataplane-token-file",
                    Files.writeString(tmp.resolve("dp-token"), dataplaneToken.out()).toString(),
                    "--config-dir", refusedDir.toString());
            try {
                try {
                    await().atMost(WAIT).until(() -> read(refusedDir.resolve("stream-error.txt"))
                            .contains("not authenticated"));
                } catch (ConditionTimeoutException e) {
                    throw new AssertionError("the egress was not refused; ursa-dp said:\n"
                            + read(tmp.resolve("refused.log")) + "\nstream error: "
                            + read(refusedDir.resolve("stream-error.txt")) + "\ncontrol plane log:\n"
                            + cp.output(), e);
                }
                assertThat(status(cp, "/zoneegresses/egress-1")).as("nothing registered").isEqualTo(404);
            } finally {
                refused.destroy();
                refused.waitFor(30, TimeUnit.SECONDS);
            }

            Path configDir = Files.createDirectories(tmp.resolve("envoy"));
            Process dp = startDp(cp, "egress", "--proxy-type", "egress", "--dataplane-file", definition.toString(),
                    "--dataplane-token-file", Files.writeString(tmp.resolve("zone-token"), zoneToken.out()).toString(),
                    "--config-dir", configDir.toString());
            try {
                Path received = configDir.resolve("received.txt");
                try {
                    await().atMost(WAIT).until(() -> read(received).contains("Listener inbound:127.0.0.1:10002"));
                } catch (ConditionTimeoutException e) {
                    throw new AssertionError("the egress did not receive its listener; ursa-dp said:\n"
                            + read(tmp.resolve("egress.log")) + "\ncontrol plane log:\n" + cp.output(), e);
                }
                assertThat(read(received)).contains("Cluster default:httpbin").doesNotContain("UNPARSABLE");
                assertThat(get(cp, "/zoneegresses/egress-1").at("/networking/port").asInt()).isEqualTo(10002);
                await().atMost(WAIT).until(() -> get(cp, "/zoneegressoverviews/egress-1")
                        .at("/zoneEgressInsight/subscriptions/0/status/lds/responsesAcknowledged").asInt() >= 1);
                Ursactl.Result inspect = ctl.run(null, "inspect", "zoneegresses");
                assertOk(inspect);
                assertThat(inspect.out()).contains("egress-1").contains("Online");
            } finally {
                dp.destroy(); // SIGTERM: ursa-dp stops Envoy and exits
                assertThat(dp.waitFor(30, TimeUnit.SECONDS)).as("ursa-dp exits after SIGTERM").isTrue();
            }
            await().atMost(WAIT).until(() -> status(cp, "/zoneegresses/egress-1") == 404);
        }
    }

    private Process startDp(CpProcess cp, String log, String... args) throws IOException, InterruptedException {
        return DpProcess.start(tmp, cp, log, args);
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
