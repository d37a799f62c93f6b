package io.ursa.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.xds.XdsNameResolverProvider;
import io.ursa.ca.controlplane.ControlPlaneCertificates;
import io.ursa.core.manager.ResourceManager;
import io.ursa.core.store.MemoryResourceStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DP server's TLS from the clients' side, with the real programs: {@code ursa-dp run} and a proxyless grpc-xds
 * application connect when they trust the control plane's CA (the other end-to-end tests do that all the time)
 * and are refused at the handshake when they trust another CA; a client that speaks plain HTTP to the TLS port is
 * told at once to use https.
 */
class DpServerTlsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    private static CpProcess cp;
    private static Ursactl ctl;
    private static Path foreignCa;
    private static Path definition;
    private static Path token;
    private static Path envoy;

    @BeforeAll
    static void start() throws Exception {
        cp = CpProcess.start(tmp.resolve("store"), Path.of("target", "e2e-logs"), Map.of());
        ctl = new Ursactl(tmp.resolve("ursactl.yaml"));
        ok(ctl.run(null, "config", "control-planes", "add", "--name", "e2e", "--address", cp.apiUrl()));
        // Another control plane's CA: same kind of certificate, another key.
        ResourceManager scratch = ResourceManager.create(new MemoryResourceStore(), Clock.systemUTC(), List.of());
        foreignCa = Files.writeString(tmp.resolve("foreign-ca.pem"), new ControlPlaneCertificates(scratch,
                Clock.systemUTC(), new SecureRandom()).own(List.of("127.0.0.1")).caCertificatePem());
        definition = Files.writeString(tmp.resolve("web.yaml"), """
                type: Dataplane
                mesh: default
                name: web-1
                networking:
                  address: 127.0.0.1
                  inbound:
                  - port: 18080
                    servicePort: 8080
                    tags:
                      kuma.io/service: web
                      kuma.io/protocol: grpc
                """);
        Ursactl.Result issued = ctl.run(null, "generate", "dataplane-token", "--mesh", "default");
        ok(issued);
        token = Files.writeString(tmp.resolve("token"), issued.out());
        // An Envoy that only answers --version: these sidecars must stop before they would start it.
        envoy = Files.writeString(tmp.resolve("envoy"), "#!/bin/sh\necho 'envoy  version: "
                + "0000000000000000000000000000000000000000/1.24.2/Clean/RELEASE/BoringSSL'\n");
        Files.setPosixFilePermissions(envoy, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (cp != null) {
            cp.close();
        }
    }

    @Test
    void aSidecarThatTrustsAnotherCaStopsAtOnceAndSaysWhy() throws Exception {
        Result dp = ursaDp("run", "--cp-address", cp.dpUrl(), "--ca-cert-file", foreignCa.toString(),
                "--dataplane-file", definition.toString(), "--dataplane-token-file", token.toString(),
                "--binary-path", envoy.toString());

        assertThat(dp.exitCode()).as(dp.output()).isEqualTo(1);
        assertThat(dp.output()).contains("the control plane at " + cp.dpUrl() + " presented a certificate that")
                .contains("--ca-cert-file").doesNotContain("retrying");
    }

    @Test
    void aSidecarThatDialsHttpToTheTlsPortIsToldToUseHttps() throws Exception {
        String plain = "http://127.0.0.1:" + cp.dpPort;
        Result dp = ursaDp("run", "--cp-address", plain, "--dataplane-file", definition.toString(),
                "--dataplane-token-file", token.toString(), "--binary-path", envoy.toString());

        assertThat(dp.exitCode()).as(dp.output()).isEqualTo(1);
        assertThat(dp.output()).contains("the control plane at " + plain + " speaks TLS: use " + cp.dpUrl());
    }

    @Test
    void aBootstrapRequestInPlainHttpGetsAnAnswerThatNamesTheScheme() throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + cp.dpPort + "/bootstrap"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("requires TLS: use https://");
    }

    @Test
    void aProxylessApplicationThatTrustsAnotherCaGetsNoConfiguration() throws Exception {
        Ursactl.Result bootstrap = ctl.run(null, "generate", "grpc-bootstrap", "--dataplane-file",
                definition.toString(), "--dataplane-token-file", token.toString(), "--cp-address", cp.dpUrl(),
                "--ca-cert-file", foreignCa.toString());
        ok(bootstrap);
        Map<String, ?> config = JSON.readValue(bootstrap.out(), new TypeReference<Map<String, Object>>() { });
        ManagedChannel channel = NettyChannelBuilder.forTarget("xds:///backend",
                        InsecureChannelCredentials.create())
                .nameResolverFactory(XdsNameResolverProvider.createForTest("xds", config)).build();
        try {
            StatusRuntimeException refused = catchThrowableOfType(() -> WhoAmI.call(channel,
                    Duration.ofSeconds(10)), StatusRuntimeException.class);

            assertThat(refused).as("a call through an xDS channel to a control plane it does not trust")
                    .isNotNull();
            assertThat(refused.getStatus().getCode()).isIn(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED);
            assertThat(cp.output()).as("the control plane never met the application")
                    .doesNotContain("proxy default.web-1 connected");
        } finally {
            channel.shutdownNow();
        }
    }

    private record Result(int exitCode, String output) {
    }

    private static Result ursaDp(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(CpProcess.REPO.resolve("bin/ursa-dp").toString()));
        command.addAll(List.of(args));
        Path log = Files.createTempFile(tmp, "ursa-dp-", ".log");
        Process p = new ProcessBuilder(command).directory(CpProcess.REPO.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ursa-dp did not stop within 60 s:\n" + Files.readString(log));
        }
        return new Result(p.exitValue(), Files.readString(log));
    }

    private static void ok(Ursactl.Result r) {
        assertThat(r.exitCode()).as("ursactl exit code; stdout:\n%s\nstderr:\n%s", r.out(), r.err()).isZero();
    }
}
