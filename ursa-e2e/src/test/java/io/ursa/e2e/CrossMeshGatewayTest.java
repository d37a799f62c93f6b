package io.ursa.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.grpc.Grpc;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsServerCredentials;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cross-mesh MeshGateway end to end: {@code bin/ursa-cp}, mesh xm-a with a gateway whose listener
 * {@code edge.xm-a.test} is {@code crossMesh}, and a proxyless application of mesh xm-b that reaches it through xDS
 * alone ({@code xds:///edge.xm-a.test:<port>}, {@code XdsChannelCredentials}, its certificates kept by
 * {@code bin/ursa-dp grpc-agent}). No Envoy runs here, so the gateway is a stand-in gRPC server with Netty TLS
 * configured only from what the control plane serves xm-a's gateway proxy (a real {@code bin/ursa-dp run} with
 * {@link FakeEnvoy}): its identity certificate and key, and as trust the {@code mesh_ca:secret:all} bundle of its
 * cross-mesh listener. The stand-in does not select ALPN as the gateway's listener does; that the listener accepts
 * gRPC's {@code h2} is checked on its generated configuration. A proxyless application of xm-c, whose mTLS is off,
 * finds no listener for the hostname.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrossMeshGatewayTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String HOSTNAME = "edge.xm-a.test";
    private static final String GATEWAY_DATAPLANE = """
            type: Dataplane
            mesh: {{mesh}}
            name: {{name}}
            networking:
              address: 127.0.0.1
              gateway:
                type: BUILTIN
                tags:
                  kuma.io/service: {{service}}
            """;

    private CpProcess cp;
    private CpApi api;
    private Ursactl ctl;
    private ProxylessApps tokens;
    private SecureApps apps;
    private int port;
    private Server gateway;
    private Process gatewayDp;
    private Path servedTrust;
    private final Set<SecureApps.Peer> callers = ConcurrentHashMap.newKeySet();

    @RegisterExtension
    final CpLogOnFailure cpLog = new CpLogOnFailure(() -> cp);

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        cp = CpProcess.start(dir.resolve("store"), Path.of("target", "e2e-logs"), Map.of(
                "URSA_STORE_TYPE", "memory"));
        api = new CpApi(cp.apiUrl());
        ctl = new Ursactl(dir.resolve("ursactl.yaml"));
        ursactl(null, "config", "control-planes", "add", "--name", "e2e", "--address", cp.apiUrl());
        port = CpProcess.freePort();
        ursactl(builtinMesh("xm-a") + builtinMesh("xm-b") + """
                type: Mesh
                name: xm-c
                ---
                type: MeshGateway
                mesh: xm-a
                name: edge
                selectors: [{match: {kuma.io/service: edge-gateway}}]
                conf:
                  listeners:
                  - {port: %d, protocol: HTTP, hostname: %s, crossMesh: true}
                """.formatted(port, HOSTNAME), "apply", "-f", "-");
        tokens = new ProxylessApps(cp, ctl, dir.resolve("tokens"));
        tokens.tokens("xm-a", "xm-b", "xm-c");
        apps = new SecureApps(cp, tokens, dir.resolve("apps"));
        gateway = standInGateway(dir);
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (gateway != null) {
                gateway.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
            if (gatewayDp != null) {
                gatewayDp.destroy();
                gatewayDp.waitFor(30, TimeUnit.SECONDS);
            }
            if (apps != null) {
                apps.close();
            }
            if (tokens != null) {
                tokens.stopAll();
                tokens.close();
            }
        } finally {
            if (cp != null) {
                cp.close();
            }
        }
    }

    // first: the client of xm-c below dials the same target from the same JVM, and fails
    @Test
    @Order(1)
    void aProxylessClientOfAnotherMeshCallsTheGatewayOverMtlsFromWhatXdsGivesIt() throws Exception {
        App web = App.client("xm-b", "web");

        String answer = WhoAmI.call(apps.channel(web, HOSTNAME + ":" + port), WAIT);

        assertThat(answer).isEqualTo("xm-a/edge-gateway");
        assertThat(callers).as("the gateway saw the client's own identity, from its own mesh")
                .extracting(SecureApps.Peer::spiffeId).containsExactly("spiffe://xm-b/web");
        assertThat(Files.readString(servedTrust)).as("the gateway trusts the meshes with mTLS, xm-c has it off")
                .contains(caRoots("xm-a")).contains(caRoots("xm-b"));
        SecureApps.Agent agent = apps.agent(web);
        assertThat(Files.readString(agent.certificates().resolve("cross-mesh-ca.pem")))
                .isEqualTo(caRoots("xm-a"));
        assertThat(Files.readString(agent.certificates().resolve("ca.pem")))
                .as("the application's own trust stays its mesh's").isEqualTo(caRoots("xm-b"));
    }

    @Test
    @Order(2)
    void aClientOfAMeshWithMtlsOffFindsNoListenerForTheHostname() {
        App plain = App.client("xm-c", "web");

        StatusRuntimeException failure = catchThrowableOfType(() -> WhoAmI.call(
                tokens.channel(plain, HOSTNAME + ":" + port), WAIT), StatusRuntimeException.class);

        assertThat(failure).as("a call from mesh xm-c").isNotNull();
        assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        // grpc-xds: "Error retrieving LDS resource <name> nodeID: xm-c.web: NOT_FOUND: ..."
        assertThat(failure.getStatus().getDescription()).contains("LDS resource " + HOSTNAME + ":" + port)
                .contains("NOT_FOUND");
    }

    /**
     * The gateway of xm-a, standing in for the Envoy that cannot run here: the gateway Dataplane's real
     * {@code ursa-dp run} connects with {@link FakeEnvoy}, which asks for the secrets the gateway's listeners name
     * and writes them out; the stand-in serves TLS with exactly those: the gateway's identity certificate and key
     * ({@code identity_cert:secret:xm-a}) and, as its trust, {@code mesh_ca:secret:all}, requiring a client
     * certificate, and answers {@link WhoAmI} as {@code xm-a/edge-gateway}.
     */
    private Server standInGateway(Path dir) throws Exception {
        Ursactl.Result token = ctl.run(null, "generate", "dataplane-token", "--mesh", "xm-a", "--name", "edge-1");
        assertThat(token.exitCode()).as(token.err()).isZero();
        Path tokenFile = Files.writeString(dir.resolve("edge-1.token"), token.out());
        Path definition = Files.writeString(dir.resolve("edge-1.yaml"), GATEWAY_DATAPLANE);
        Path envoy = Files.createDirectories(dir.resolve("edge-1-envoy"));
        gatewayDp = DpProcess.start(dir, cp, "edge-1-dp", "--dataplane-file", definition.toString(),
                "-v", "mesh=xm-a", "-v", "name=edge-1", "-v", "service=edge-gateway",
                "--dataplane-token-file", tokenFile.toString(), "--config-dir", envoy.toString());
        Path cert = envoy.resolve("secret-identity_cert_secret_xm-a.cert.pem");
        Path key = envoy.resolve("secret-identity_cert_secret_xm-a.key.pem");
        servedTrust = envoy.resolve("secret-mesh_ca_secret_all.ca.pem");
        await().atMost(WAIT).until(() -> Files.exists(cert) && Files.exists(key) && Files.exists(servedTrust));
        TlsServerCredentials.Builder credentials = TlsServerCredentials.newBuilder()
                .keyManager(cert.toFile(), key.toFile())
                .trustManager(servedTrust.toFile())
                .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
        App edge = new App("xm-a", "edge-gateway", "edge-gateway", "v1", port);
        return Grpc.newServerBuilderForPort(port, credentials.build())
                .addService(ServerInterceptors.intercept(WhoAmI.service(edge.instance()),
                        SecureApps.recording(callers)))
                .build()
                .start();
    }

    /** The CA certificate of {@code mesh}'s builtin backend, as its Secret holds it. */
    private String caRoots(String mesh) throws Exception {
        String data = api.get("/meshes/" + mesh + "/secrets/" + mesh + ".ca-builtin-cert-ca-1").orElseThrow()
                .path("data").asText();
        return new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8);
    }

    private static String builtinMesh(String name) {
        return "type: Mesh\nname: " + name + "\nmtls: {enabledBackend: ca-1, backends: [{name: ca-1, type: builtin}]}"
                + "\n---\n";
    }

    private void ursactl(String stdin, String... args) throws Exception {
        Ursactl.Result result = ctl.run(stdin, args);
        assertThat(result.exitCode()).as("ursactl %s; stdout:\n%s\nstderr:\n%s", String.join(" ", args),
                result.out(), result.err()).isZero();
    }
}
