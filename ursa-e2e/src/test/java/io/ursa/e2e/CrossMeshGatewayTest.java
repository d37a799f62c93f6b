package io.ursa.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cross-mesh MeshGateway end to end: {@code bin/ursa-cp}, mesh xm-a with a gateway whose listener
 * {@code edge.xm-a.test} is {@code crossMesh}, and a proxyless application of mesh xm-b that reaches it through xDS
 * alone ({@code xds:///edge.xm-a.test:<port>}, {@code XdsChannelCredentials}, its certificates kept by
 * {@code bin/ursa-dp grpc-agent}). No Envoy runs here, so the gateway is a stand-in gRPC server with Netty TLS
 * configured only from what the control plane serves xm-a's gateway proxy: the identity certificate and key its
 * certificate agent writes, and as trust the CA roots of the meshes (read through the API until the gateway's
 * {@code mesh_ca:secret:all} bundle is served). A proxyless application of xm-c, whose mTLS is off, finds no
 * listener for the hostname.
 */
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
        gateway = standInGateway(dir.resolve("gateway-trust.pem"));
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (gateway != null) {
                gateway.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
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

    @Test
    void aProxylessClientOfAnotherMeshCallsTheGatewayOverMtlsFromWhatXdsGivesIt() throws Exception {
        App web = App.client("xm-b", "web");

        String answer = WhoAmI.call(apps.channel(web, HOSTNAME + ":" + port), WAIT);

        assertThat(answer).isEqualTo("xm-a/edge-gateway");
        assertThat(callers).as("the gateway saw the client's own identity, from its own mesh")
                .extracting(SecureApps.Peer::spiffeId).containsExactly("spiffe://xm-b/web");
        SecureApps.Agent agent = apps.agent(web);
        assertThat(Files.readString(agent.certificates().resolve("cross-mesh-ca.pem")))
                .isEqualTo(caRoots("xm-a"));
        assertThat(Files.readString(agent.certificates().resolve("ca.pem")))
                .as("the application's own trust stays its mesh's").isEqualTo(caRoots("xm-b"));
    }

    @Test
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
     * The gateway of xm-a: its identity from its certificate agent, trusting the roots of the meshes with mTLS,
     * requiring a client certificate, answering {@link WhoAmI} as {@code xm-a/edge-gateway}.
     */
    private Server standInGateway(Path trust) throws Exception {
        App edge = new App("xm-a", "edge-gateway", "edge-gateway", "v1", port);
        SecureApps.Agent agent = apps.agent(edge, GATEWAY_DATAPLANE);
        Files.writeString(trust, caRoots("xm-a") + caRoots("xm-b"));
        TlsServerCredentials.Builder credentials = TlsServerCredentials.newBuilder()
                .keyManager(agent.certificates().resolve("cert.pem").toFile(),
                        agent.certificates().resolve("key.pem").toFile())
                .trustManager(trust.toFile())
                .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
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
