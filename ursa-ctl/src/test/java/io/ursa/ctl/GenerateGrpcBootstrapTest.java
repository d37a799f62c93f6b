package io.ursa.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ursa.api.codec.Json;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.apiserver.ApiServer;
import io.ursa.apiserver.ApiServerConfig;
import io.ursa.core.manager.ResourceManager;
import io.ursa.core.store.MemoryResourceStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ursactl generate grpc-bootstrap} against the real REST API server over a memory store. */
class GenerateGrpcBootstrapTest {
    private static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJOYW1lIjoid2ViLTEifQ.c2ln";
    /** A self-signed certificate (EC P-256, CN=Ursa Control Plane CA): the shape of a CA file, nothing verifies it. */
    private static final String CA_PEM = """
            -----BEGIN CERTIFICATE-----
            MIIBlzCCAT2gAwIBAgIUEmWqeH3yaX1q4IUuzrB4CFhXQOEwCgYIKoZIzj0EAwIw
            IDEeMBwGA1UEAwwVVXJzYSBDb250cm9sIFBsYW5lIENBMCAXDTI2MTIwNjA0MDUx
            OVoYDzIxMjYxMTEyMDQwNTE5WjAgMR4wHAYDVQQDDBVVcnNhIENvbnRyb2wgUGxh
            bmUgQ0EwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAARPzV1YfNw3vTmfp+t64gV6
            F4z355GAWTbADI068uYZ06Gw4o8is8luEK/wdKuKFWqW23SI4a4uxw8tcWLUNlAg
            o1MwUTAdBgNVHQ4EFgQUapbd0WIRSWf7vwoq+i0ZA0tz3dswHwYDVR0jBBgwFoAU
            apbd0WIRSWf7vwoq+i0ZA0tz3dswDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQD
            AgNIADBFAiEAkeNL63clpAKpmMAjoO5FJ8AnluQ3fpN6z7YAS9ezYWkCIGkMN0if
            f5tnmRDTco4Nj2zOZ34CfHMoAhxHQC3b0bin
            -----END CERTIFICATE-----
            """;
    private static final String TEMPLATE = """
            type: Dataplane
            mesh: demo
            name: web-{{index}}
            networking:
              address: 10.0.0.{{index}}
              inbound:
              - port: 8080
                tags:
                  kuma.io/service: web
                  kuma.io/protocol: grpc
            """;

    @TempDir
    Path home;

    private ApiServer server;
    private CtlRunner ctl;

    @BeforeEach
    void startControlPlane() {
        ResourceManager manager = ResourceManager.create(new MemoryResourceStore(), Clock.systemUTC(), List.of());
        server = new ApiServer(manager, ResourceTypes.standard(),
                ApiServerConfig.defaults().withAddress("127.0.0.1", 0), () -> Json.json().createObjectNode(),
                "0.0.0-test", "test-instance");
        server.start();
        ctl = new CtlRunner(home, Clock.systemUTC());
        assertThat(ctl.run("config", "control-planes", "add", "--name", "test", "--address",
                "http://127.0.0.1:" + server.port()).exitCode()).isZero();
        assertThat(ctl.runWithStdin("type: Mesh\nname: demo\n", "apply", "-f", "-").exitCode()).isZero();
    }

    @AfterEach
    void stopControlPlane() {
        server.close();
    }

    @Test
    void carriesTheRenderedDefinitionAndTheTokenForRegistrationOnConnect() throws Exception {
        Path template = Files.writeString(home.resolve("web.yaml"), TEMPLATE);
        Path token = Files.writeString(home.resolve("token"), TOKEN + "\n");

        CtlRunner.Result result = ctl.run("generate", "grpc-bootstrap", "--dataplane-file", template.toString(),
                "-v", "index=7", "--dataplane-token-file", token.toString(), "--cp-address", "cp.internal:15678");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        JsonNode bootstrap = Json.json().readTree(result.out());
        assertThat(bootstrap.at("/xds_servers/0/server_uri").asText()).isEqualTo("cp.internal:15678");
        assertThat(bootstrap.at("/node/id").asText()).isEqualTo("demo.web-7");
        assertThat(bootstrap.at("/node/cluster").asText()).isEqualTo("web");
        JsonNode metadata = bootstrap.at("/node/metadata");
        assertThat(metadata.get("dataplane.token").asText()).isEqualTo(TOKEN);
        JsonNode definition = Json.json().readTree(metadata.get("dataplane.resource").asText());
        assertThat(definition.get("name").asText()).isEqualTo("web-7");
        assertThat(definition.at("/networking/address").asText()).isEqualTo("10.0.0.7");
        assertThat(bootstrap.get("server_listener_resource_name_template").asText())
                .isEqualTo("grpc/server?xds.resource.listening_address=%s");
    }

    @Test
    void usesAnExistingDataplaneAndTheApiHostByDefault() throws Exception {
        ctl.runWithStdin(TEMPLATE.replace("{{index}}", "1"), "apply", "-f", "-");

        CtlRunner.Result result = ctl.run("generate", "grpc-bootstrap", "--mesh", "demo", "--name", "web-1");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        JsonNode bootstrap = Json.json().readTree(result.out());
        assertThat(bootstrap.at("/xds_servers/0/server_uri").asText()).isEqualTo("127.0.0.1:5678");
        assertThat(bootstrap.at("/xds_servers/0/channel_creds")).isEqualTo(Json.json().readTree(
                "[{\"type\": \"tls\"}]"));
        assertThat(result.err()).contains("Note: without --ca-cert-file the application verifies the control plane"
                + " at https://127.0.0.1:5678 against its JVM's default trust store");
        assertThat(bootstrap.at("/node/cluster").asText()).isEqualTo("web");
        assertThat(bootstrap.at("/node/metadata").has("dataplane.resource")).isFalse();
        assertThat(bootstrap.at("/node/metadata").has("dataplane.token")).isFalse();
    }

    @Test
    void declaresTheCertificateProviderOverTheCertificatesDirectory() throws Exception {
        ctl.runWithStdin(TEMPLATE.replace("{{index}}", "1"), "apply", "-f", "-");

        CtlRunner.Result result = ctl.run("generate", "grpc-bootstrap", "--mesh", "demo", "--name", "web-1",
                "--certificates-dir", "certs/web-1", "--certificates-refresh-interval", "250ms");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        JsonNode provider = Json.json().readTree(result.out()).at("/certificate_providers/ursa");
        assertThat(provider.get("plugin_name").asText()).isEqualTo("file_watcher");
        Path dir = Path.of("certs/web-1").toAbsolutePath();
        assertThat(provider.at("/config/certificate_file").asText()).isEqualTo(dir.resolve("cert.pem").toString());
        assertThat(provider.at("/config/private_key_file").asText()).isEqualTo(dir.resolve("key.pem").toString());
        assertThat(provider.at("/config/ca_certificate_file").asText()).isEqualTo(dir.resolve("ca.pem").toString());
        assertThat(provider.at("/config/refresh_interval").asText()).isEqualTo("0.250s");
    }

    @Test
    void leavesTheCertificateProviderOutWithoutACertificatesDirectory() throws Exception {
        ctl.runWithStdin(TEMPLATE.replace("{{index}}", "1"), "apply", "-f", "-");

        CtlRunner.Result plain = ctl.run("generate", "grpc-bootstrap", "--mesh", "demo", "--name", "web-1");
        CtlRunner.Result intervalAlone = ctl.run("generate", "grpc-bootstrap", "--mesh", "demo", "--name", "web-1",
                "--certificates-refresh-interval", "5s");
        CtlRunner.Result zero = ctl.run("generate", "grpc-bootstrap", "--mesh", "demo", "--name", "web-1",
                "--certificates-dir", "certs", "--certificates-refresh-interval", "0s");

        assertThat(Json.json().readTree(plain.out()).has("certificate_providers")).isFalse();
        assertThat(intervalAlone.exitCode()).isEqualTo(ErrorHandlers.USAGE);
        assertThat(intervalAlone.err()).contains("--certificates-refresh-interval is only used with --certificates-dir");
        assertThat(zero.exitCode()).isEqualTo(ErrorHandlers.USAGE);
        assertThat(zero.err()).contains("invalid --certificates-refresh-interval: 0s (expected: a positive duration");
    }

    @Test
    void namesTheControlPlaneCaForTheTlsChannel() throws Exception {
        ctl.runWithStdin(TEMPLATE.replace("{{index}}", "1"), "apply", "-f", "-");
        Path ca = Files.writeString(home.resolve("cp-ca.pem"), CA_PEM);

        CtlRunner.Result withScheme = ctl.run("generate", "grpc-bootstrap", "--mesh", "demo", "--name", "web-1",
                "--cp-address", "https://cp.internal:15678", "--ca-cert-file", ca.toString());
        CtlRunner.Result bare = ctl.run("generate", "grpc-bootstrap", "--mesh", "demo", "--name", "web-1",
                "--cp-address", "cp.internal", "--ca-cert-file", "cp-ca.pem");

        assertThat(withScheme.exitCode()).as(withScheme.toString()).isZero();
        assertThat(Json.json().readTree(withScheme.out()).at("/xds_servers/0")).isEqualTo(Json.json().readTree("""
                {"server_uri": "cp.internal:15678",
                 "channel_creds": [{"type": "tls", "config": {"ca_certificate_file": "%s"}}],
                 "server_features": ["xds_v3"]}""".formatted(ca.toAbsolutePath())));
        assertThat(withScheme.err()).isEmpty();
        assertThat(bare.exitCode()).as(bare.toString()).isEqualTo(1); // relative to the working directory: not here
        assertThat(bare.err()).contains("could not read the CA certificate file cp-ca.pem");
    }

    @Test
    void readsABareHostAsHttpsOnTheDpServerPort() throws Exception {
        ctl.runWithStdin(TEMPLATE.replace("{{index}}", "1"), "apply", "-f", "-");

        CtlRunner.Result bare = ctl.run("generate", "grpc-bootstrap", "--mesh", "demo", "--name", "web-1",
                "--cp-address", "cp.internal");

        assertThat(bare.exitCode()).as(bare.toString()).isZero();
        JsonNode server = Json.json().readTree(bare.out()).at("/xds_servers/0");
        assertThat(server.get("server_uri").asText()).isEqualTo("cp.internal:5678");
        assertThat(server.get("channel_creds")).isEqualTo(Json.json().readTree("[{\"type\": \"tls\"}]"));
    }

    @Test
    void isPlaintextOnlyForAnHttpAddress() throws Exception {
        ctl.runWithStdin(TEMPLATE.replace("{{index}}", "1"), "apply", "-f", "-");
        Path ca = Files.writeString(home.resolve("cp-ca.pem"), CA_PEM);

        CtlRunner.Result plaintext = ctl.run("generate", "grpc-bootstrap", "--mesh", "demo", "--name", "web-1",
                "--cp-address", "http://cp.internal:5678");
        CtlRunner.Result caWithHttp = ctl.run("generate", "grpc-bootstrap", "--mesh", "demo", "--name", "web-1",
                "--cp-address", "http://cp.internal:5678", "--ca-cert-file", ca.toString());

        assertThat(plaintext.exitCode()).as(plaintext.toString()).isZero();
        assertThat(Json.json().readTree(plaintext.out()).at("/xds_servers/0/channel_creds"))
                .isEqualTo(Json.json().readTree("[{\"type\": \"insecure\"}]"));
        assertThat(plaintext.err()).isEmpty();
        assertThat(caWithHttp.exitCode()).isEqualTo(ErrorHandlers.USAGE);
        assertThat(caWithHttp.err()).contains("--ca-cert-file is only used with an https --cp-address (the control"
                + " plane at http://cp.internal:5678 is plaintext)");
    }

    @Test
    void refusesACaFileThatIsMissingOrNotACertificateAndABadAddress() throws Exception {
        ctl.runWithStdin(TEMPLATE.replace("{{index}}", "1"), "apply", "-f", "-");
        Path garbage = Files.writeString(home.resolve("garbage.pem"), "not a certificate");

        CtlRunner.Result missing = ctl.run("generate", "grpc-bootstrap", "--mesh", "demo", "--name", "web-1",
                "--ca-cert-file", home.resolve("nope.pem").toString());
        CtlRunner.Result notPem = ctl.run("generate", "grpc-bootstrap", "--mesh", "demo", "--name", "web-1",
                "--ca-cert-file", garbage.toString());
        CtlRunner.Result grpcScheme = ctl.run("generate", "grpc-bootstrap", "--mesh", "demo", "--name", "web-1",
                "--cp-address", "grpc://cp:5678");

        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("could not read the CA certificate file " + home.resolve("nope.pem"));
        assertThat(notPem.exitCode()).isEqualTo(1);
        assertThat(notPem.err()).contains("the CA certificate file " + garbage);
        assertThat(grpcScheme.exitCode()).isEqualTo(ErrorHandlers.USAGE);
        assertThat(grpcScheme.err()).contains("invalid --cp-address grpc://cp:5678 (expected: https://host:port,"
                + " http://host:port for a plaintext control plane, or host:port)");
        assertThat(List.of(missing, notPem, grpcScheme)).allSatisfy(r -> assertThat(r.out()).isEmpty());
    }

    @Test
    void refusesWhatWouldNotConnect() throws Exception {
        Path template = Files.writeString(home.resolve("web.yaml"), TEMPLATE);
        Path invalid = Files.writeString(home.resolve("bad.yaml"), TEMPLATE.replace("8080", "70000"));

        CtlRunner.Result missing = ctl.run("generate", "grpc-bootstrap", "--mesh", "demo", "--name", "web-9");
        CtlRunner.Result mismatch = ctl.run("generate", "grpc-bootstrap", "--name", "api-1", "-d",
                template.toString(), "-v", "index=1");
        CtlRunner.Result bad = ctl.run("generate", "grpc-bootstrap", "-d", invalid.toString(), "-v", "index=1");
        CtlRunner.Result badToken = ctl.run("generate", "grpc-bootstrap", "-d", template.toString(), "-v",
                "index=1", "--dataplane-token", "not-a-token");

        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("there is no Dataplane web-9 in mesh demo");
        assertThat(mismatch.err()).contains("--name api-1 does not match the Dataplane definition, which says web-1");
        assertThat(bad.err()).contains("networking.inbound[0].port");
        assertThat(badToken.err()).contains("--dataplane-token does not hold a valid token");
        assertThat(List.of(missing, mismatch, bad, badToken)).allSatisfy(r -> assertThat(r.out()).isEmpty());
    }
}
