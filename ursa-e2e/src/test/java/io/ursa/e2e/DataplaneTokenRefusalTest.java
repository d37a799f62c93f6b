package io.ursa.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way a dataplane token can be wrong, seen from the proxy's side: a real certificate agent
 * ({@code bin/ursa-dp grpc-agent}) connects over TLS with the token, the control plane refuses its stream, and the
 * agent exits with 1 and prints why. The same reason is in the control plane's log, and no Dataplane is left
 * registered.
 */
class DataplaneTokenRefusalTest {
    private static final String MESH = "tokens";
    private static final Duration EXIT = Duration.ofSeconds(60);

    @TempDir
    static Path tmp;
    private static CpProcess cp;
    private static Ursactl ctl;
    private static CpApi api;
    private static Path dataplane;

    @BeforeAll
    static void startControlPlane() throws Exception {
        cp = CpProcess.start(tmp.resolve("store"), Path.of("target", "e2e-logs"), Map.of());
        ctl = new Ursactl(tmp.resolve("ursactl.yaml"));
        assertOk(ctl.run(null, "config", "control-planes", "add", "--name", "e2e", "--address", cp.apiUrl()));
        assertOk(ctl.run("type: Mesh\nname: " + MESH + "\n", "apply", "-f", "-"));
        api = new CpApi(cp.apiUrl());
        dataplane = Files.writeString(tmp.resolve("dataplane.yaml"), """
                type: Dataplane
                mesh: %s
                name: {{ name }}
                networking:
                  address: 127.0.0.1
                  inbound:
                  - port: 18080
                    servicePort: 8080
                    tags:
                      kuma.io/service: web
                      kuma.io/protocol: grpc
                """.formatted(MESH));
    }

    @AfterAll
    static void stopControlPlane() throws Exception {
        if (cp != null) {
            cp.close();
        }
    }

    @Test
    void anExpiredTokenIsRefusedWithItsExpiry() throws Exception {
        Path token = token("expired", "--mesh", MESH, "--name", "expired", "--valid-for", "1s");
        Instant expiry = SignedJWT.parse(Files.readString(token).strip()).getJWTClaimsSet().getExpirationTime()
                .toInstant();
        await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(expiry));

        assertRefused("expired", token, "is not authenticated: could not parse token: token is expired (expired at "
                + expiry + ")");
    }

    @Test
    void aRevokedTokenIsRefused() throws Exception {
        Path token = token("revoked", "--mesh", MESH, "--name", "revoked");
        String id = SignedJWT.parse(Files.readString(token).strip()).getJWTClaimsSet().getJWTID();
        String revocations = java.util.Base64.getEncoder().encodeToString(id.getBytes());
        assertOk(ctl.run("""
                type: Secret
                mesh: %s
                name: dataplane-token-revocations-%s
                data: %s
                """.formatted(MESH, MESH, revocations), "apply", "-f", "-"));

        assertRefused("revoked", token, "is not authenticated: token is revoked");
    }

    @Test
    void aTokenForAnotherProxyNameIsRefused() throws Exception {
        Path token = token("other-name", "--mesh", MESH, "--name", "somebody-else");

        assertRefused("impostor", token,
                "is not authenticated: proxy name from requestor: impostor is different than in token: somebody-else");
    }

    @Test
    void aTokenRequiringATagTheProxyLacksIsRefused() throws Exception {
        Path token = token("tagged", "--mesh", MESH, "--tag", "version=v2");

        assertRefused("untagged", token,
                "is not authenticated: dataplane has no tag \"version\" required by the token");
    }

    @Test
    void noTokenIsRefusedWithHowToGetOne() throws Exception {
        assertRefused("tokenless", null, "is not authenticated: no dataplane token was presented (expected: ursa-dp"
                + " --dataplane-token-file");
    }

    /** Generates a dataplane token with {@code ursactl generate dataplane-token args...} into a file. */
    private static Path token(String file, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("generate", "dataplane-token"));
        command.addAll(List.of(args));
        Ursactl.Result result = ctl.run(null, command.toArray(String[]::new));
        assertOk(result);
        return Files.writeString(tmp.resolve(file + ".token"), result.out());
    }

    /** Runs the agent as {@code name} with {@code token} (none when null) and checks how it is turned away. */
    private static void assertRefused(String name, Path token, String reason) throws Exception {
        Path home = Files.createDirectories(tmp.resolve("agent-" + name));
        List<String> command = new ArrayList<>(List.of(CpProcess.REPO.resolve("bin/ursa-dp").toString(),
                "grpc-agent", "--cp-address", cp.dpUrl(), "--ca-cert-file", cp.caFile().toString(),
                "--dataplane-file", dataplane.toString(), "-v", "name=" + name,
                "--certificates-dir", home.resolve("certs").toString()));
        if (token != null) {
            command.add("--dataplane-token-file");
            command.add(token.toString());
        }
        Path log = home.resolve("agent.log");
        Process agent = new ProcessBuilder(command).directory(CpProcess.REPO.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!agent.waitFor(EXIT.toSeconds(), TimeUnit.SECONDS)) {
            agent.destroyForcibly();
            throw new AssertionError("the agent of " + name + " was not turned away within " + EXIT + ":\n"
                    + read(log));
        }
        String proxyId = MESH + "." + name;
        assertThat(agent.exitValue()).as("exit code of the agent; it printed:\n%s", read(log)).isEqualTo(1);
        assertThat(read(log)).as("what the agent printed").contains("proxy " + proxyId + " " + reason);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(cp.output())
                .contains("refused proxy " + proxyId + ": proxy " + proxyId + " " + reason));
        assertThat(api.get("/meshes/" + MESH + "/dataplanes/" + name)).as("Dataplane " + proxyId).isEmpty();
        assertThat(home.resolve("certs").resolve("cert.pem")).as("a certificate for a refused proxy").doesNotExist();
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }

    private static void assertOk(Ursactl.Result r) {
        assertThat(r.exitCode()).as("ursactl exit code; stdout:\n%s\nstderr:\n%s", r.out(), r.err()).isZero();
    }
}
