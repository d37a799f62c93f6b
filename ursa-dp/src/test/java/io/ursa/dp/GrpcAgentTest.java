package io.ursa.dp;

import static io.ursa.dp.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.Status;
import io.ursa.api.codec.Json;
import io.ursa.ca.DataplaneCertificateIssuer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ursa-dp grpc-agent} against a real ADS server (java-control-plane) serving certificates issued by the
 * control plane's own issuer from a test CA, over TLS with a certificate of the control plane's own CA (or plaintext,
 * where a test says so).
 */
class GrpcAgentTest {
    private static final String TEMPLATE = """
            type: Dataplane
            mesh: demo
            name: web-{{ index }}
            networking:
              address: 10.0.0.{{ index }}
              inbound:
              - port: 8080
                tags:
                  kuma.io/service: web
                  kuma.io/protocol: grpc
            """;
    private static final String IDENTITY = "identity_cert:secret:demo";
    private static final String MESH_CA = "mesh_ca:secret:demo";
    private static final String READY = "certificates ready in ";

    @TempDir
    Path dir;

    private final TestEnvironment env = new TestEnvironment();
    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private final TestCertificates ca = TestCertificates.newCa("demo");
    private final ServerCertificates.Ca cpCa = ServerCertificates.Ca.create("Ursa Control Plane CA");
    private SecretsControlPlane cp;
    private Path cpCaFile;
    private Path certs;
    private Path definition;
    private Path tokenFile;

    @BeforeEach
    void setUp() throws IOException {
        cp = SecretsControlPlane.startTls(cpCa.issue("127.0.0.1", "localhost"));
        cpCaFile = Files.writeString(dir.resolve("cp-ca.pem"), cpCa.pem());
        certs = dir.resolve("certs");
        definition = Files.writeString(dir.resolve("web.yaml"), TEMPLATE);
        tokenFile = Files.writeString(dir.resolve("token"), RunFlagsTest.TOKEN + "\n");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (env.hookRegistered()) {
            env.signal();
        }
        executor.shutdown();
        assertThat(executor.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        cp.close();
    }

    @Test
    void writesTheCertificatesAndAcknowledgesThem() throws Exception {
        DataplaneCertificateIssuer.Issued issued = ca.issue("web");
        serve("1", issued);

        CompletableFuture<Integer> agent = startAgent();
        await().until(() -> env.out().contains(READY));

        assertThat(env.out()).contains(READY + certs.toAbsolutePath() + " (cert.pem, key.pem, ca.pem)");
        assertThat(Files.readString(certs.resolve("cert.pem"))).isEqualTo(issued.certificatePem());
        assertThat(Files.readString(certs.resolve("key.pem"))).isEqualTo(issued.privateKeyPem())
                .startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Files.readString(certs.resolve("ca.pem"))).isEqualTo(ca.caPem);
        assertThat(Files.getPosixFilePermissions(certs.resolve("key.pem")))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(Files.readString(certs.resolve("cp-ca.pem"))).isEqualTo(cpCa.pem());
        assertThat(Files.readString(certs.resolve("cross-mesh-ca.pem")))
                .as("this control plane serves no cross-mesh roots").isEmpty();
        try (var files = Files.list(certs)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                    "cert.pem", "key.pem", "ca.pem", "cross-mesh-ca.pem", "cp-ca.pem"); // no temporary files left
        }

        await().until(() -> ack("1").isPresent());
        DiscoveryRequest first = cp.requests().get(0);
        assertThat(first.getTypeUrl())
                .isEqualTo("type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret");
        assertThat(first.getResourceNamesList()).containsExactly(IDENTITY, MESH_CA, "cross_mesh_ca:secret:demo");
        assertThat(first.getVersionInfo()).isEmpty();
        Node node = first.getNode();
        assertThat(node.getId()).isEqualTo("demo.web-1");
        assertThat(node.getCluster()).isEqualTo("web");
        assertThat(node.getUserAgentName()).isEqualTo("ursa-dp");
        assertThat(node.getUserAgentVersion()).isEqualTo(TestEnvironment.BUILD.version());
        var metadata = node.getMetadata().getFieldsMap();
        assertThat(metadata.get("ursa.dataplane.kind").getStringValue()).isEqualTo("grpc");
        JsonNode resource = Json.json().readTree(metadata.get("dataplane.resource").getStringValue());
        assertThat(resource.path("name").asText()).isEqualTo("web-1");
        assertThat(resource.path("networking").path("address").asText()).isEqualTo("10.0.0.1");
        assertThat(metadata).doesNotContainKey("dataplane.token"); // the token travels in the header
        assertThat(cp.authorizations()).containsExactly("Bearer " + RunFlagsTest.TOKEN);
        DiscoveryRequest ack = ack("1").orElseThrow();
        assertThat(ack.getResourceNamesList()).containsExactly(IDENTITY, MESH_CA, "cross_mesh_ca:secret:demo");
        assertThat(ack.getResponseNonce()).isNotEmpty();

        String serial = certificateSerial(issued);
        assertThat(env.err()).contains("INFO  new certificate (version 1): serial " + serial)
                .contains("SANs spiffe://demo/web, kuma://kuma.io/service/web")
                .doesNotContain("PRIVATE KEY");

        int closedBefore = cp.closedStreams();
        assertThat(env.signal()).isZero();
        assertThat(agent.get(30, TimeUnit.SECONDS)).isZero();
        await().until(() -> cp.closedStreams() > closedBefore);
        assertThat(env.err()).contains("INFO  stopped");
    }

    @Test
    void replacesTheFilesWhenTheCertificateRotates() throws Exception {
        serve("1", ca.issue("web"));
        startAgent();
        await().until(() -> ack("1").isPresent());

        DataplaneCertificateIssuer.Issued rotated = ca.issue("web");
        serve("2", rotated);

        await().until(() -> ack("2").isPresent());
        assertThat(Files.readString(certs.resolve("cert.pem"))).isEqualTo(rotated.certificatePem());
        assertThat(Files.readString(certs.resolve("key.pem"))).isEqualTo(rotated.privateKeyPem());
        assertThat(env.err()).contains("new certificate (version 2): serial " + certificateSerial(rotated));
        assertThat(env.out().lines().filter(line -> line.startsWith(READY))).hasSize(1);
    }

    @Test
    void rejectsAKeyThatDoesNotBelongToTheCertificateAndKeepsTheFiles() throws Exception {
        DataplaneCertificateIssuer.Issued good = ca.issue("web");
        serve("1", good);
        startAgent();
        await().until(() -> ack("1").isPresent());

        DataplaneCertificateIssuer.Issued other = ca.issue("web");
        cp.serve("2", SecretsControlPlane.identity(IDENTITY, other.certificatePem(), good.privateKeyPem()),
                SecretsControlPlane.ca(MESH_CA, ca.caPem));

        await().until(() -> nackOf("2").isPresent());
        DiscoveryRequest nack = nackOf("2").orElseThrow();
        assertThat(nack.getVersionInfo()).isEqualTo("1"); // the version still in use
        assertThat(nack.getErrorDetail().getMessage())
                .isEqualTo("the private_key of identity_cert:secret:demo does not belong to its certificate");
        assertThat(Files.readString(certs.resolve("cert.pem"))).isEqualTo(good.certificatePem());
        assertThat(Files.readString(certs.resolve("key.pem"))).isEqualTo(good.privateKeyPem());
        assertThat(env.err()).contains("WARN  rejected certificates version 2: the private_key of "
                + "identity_cert:secret:demo does not belong to its certificate; keeping the current files");

        DataplaneCertificateIssuer.Issued fixed = ca.issue("web");
        serve("3", fixed);
        await().until(() -> ack("3").isPresent());
        assertThat(Files.readString(certs.resolve("cert.pem"))).isEqualTo(fixed.certificatePem());
        assertThat(cp.requests().stream().filter(DiscoveryRequest::hasErrorDetail)).hasSize(1);
    }

    @Test
    void rejectsAKeyThatIsNotPkcs8() throws Exception {
        DataplaneCertificateIssuer.Issued issued = ca.issue("web");
        String sec1 = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIA==\n-----END EC PRIVATE KEY-----\n";
        cp.serve("1", SecretsControlPlane.identity(IDENTITY, issued.certificatePem(), sec1),
                SecretsControlPlane.ca(MESH_CA, ca.caPem));
        startAgent();

        await().until(() -> nackOf("1").isPresent());
        assertThat(nackOf("1").orElseThrow().getVersionInfo()).isEmpty();
        assertThat(nackOf("1").orElseThrow().getErrorDetail().getMessage()).isEqualTo(
                "identity_cert:secret:demo private_key is a PEM EC PRIVATE KEY (expected: PKCS#8, BEGIN PRIVATE KEY,"
                        + " the only form grpc's file_watcher reads)");
        assertThat(certs.resolve("cert.pem")).doesNotExist();
        assertThat(env.out()).doesNotContain(READY);
    }

    @Test
    void rejectsCertificatesItCannotWriteAndTouchesNoFile() throws Exception {
        Path inTheWay = Files.createDirectories(certs.resolve("cert.pem"));
        Files.writeString(inTheWay.resolve("something"), "not a certificate");
        serve("1", ca.issue("web"));
        startAgent();

        await().until(() -> nackOf("1").isPresent());
        assertThat(nackOf("1").orElseThrow().getErrorDetail().getMessage()).isEqualTo("could not write the"
                + " certificates to " + certs.toAbsolutePath() + ": " + inTheWay.toAbsolutePath()
                + " is not a regular file");
        try (var files = Files.list(certs)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("cert.pem", "cp-ca.pem");
        }

        Files.delete(inTheWay.resolve("something"));
        Files.delete(inTheWay);
        DataplaneCertificateIssuer.Issued issued = ca.issue("web");
        serve("2", issued);
        await().until(() -> ack("2").isPresent());
        assertThat(Files.readString(certs.resolve("cert.pem"))).isEqualTo(issued.certificatePem());
    }

    @Test
    void exitsWithTheReasonWhenTheControlPlaneRefusesTheProxy() throws Exception {
        cp.refuse(Status.UNAUTHENTICATED.withDescription("proxy demo.web-1 is not authorized: the token is for"
                + " another Dataplane"));

        int code = env.execute("grpc-agent", "--cp-address", cp.address(), "--ca-cert-file", cpCaFile.toString(),
                "-d", definition.toString(), "-v", "index=1", "--dataplane-token-file", tokenFile.toString(),
                "--certificates-dir", certs.toString());

        assertThat(code).isEqualTo(1);
        assertThat(env.err()).contains("Error: the control plane at 127.0.0.1:" + cp.port() + " refused the"
                + " certificate stream of demo.web-1: UNAUTHENTICATED: proxy demo.web-1 is not authorized: the token"
                + " is for another Dataplane");
        assertThat(certs.resolve("cert.pem")).doesNotExist();
    }

    @Test
    void opensTheStreamAgainWithBackOffWhenItBreaks() throws Exception {
        DataplaneCertificateIssuer.Issued issued = ca.issue("web");
        serve("1", issued);
        startAgent();
        await().until(() -> ack("1").isPresent());

        cp.breakNextRequest(Status.UNAVAILABLE.withDescription("the control plane is restarting"));
        serve("2", ca.issue("web")); // the agent's ACK of version 2 breaks the stream

        // the new stream starts from scratch (no version), gets version 2 again and acknowledges it
        await().until(() -> cp.requests().stream().filter(r -> r.getVersionInfo().equals("2")).count() >= 2);
        assertThat(cp.requests().stream().filter(r -> r.getVersionInfo().isEmpty() && r.getResponseNonce().isEmpty()))
                .hasSize(2);
        assertThat(cp.authorizations()).hasSize(2).allMatch(("Bearer " + RunFlagsTest.TOKEN)::equals);
        assertThat(env.time.sleeps()).containsExactly(Duration.ofMillis(500));
        assertThat(env.err()).contains("WARN  the certificate stream with the control plane at 127.0.0.1:" + cp.port()
                + " ended (UNAVAILABLE: the control plane is restarting); keeping the certificates in " + certs
                + " as they are and opening it again in 500ms, then with a growing back-off");
        await().until(() -> env.err().contains("INFO  the control plane at 127.0.0.1:" + cp.port() + " answers again"));
    }

    @Test
    void writesTheBootstrapTheApplicationNeeds() throws Exception {
        serve("1", ca.issue("web"));
        Path bootstrapFile = dir.resolve("bootstrap.json");
        startAgent("--bootstrap-file", bootstrapFile.toString());
        await().until(() -> env.out().contains(READY));

        JsonNode bootstrap = Json.json().readTree(Files.readString(bootstrapFile));
        assertThat(bootstrap.at("/xds_servers/0/server_uri").asText()).isEqualTo("127.0.0.1:" + cp.port());
        Path cpCaCopy = certs.toAbsolutePath().resolve("cp-ca.pem");
        assertThat(bootstrap.at("/xds_servers/0/channel_creds")).isEqualTo(Json.json().readTree(
                "[{\"type\": \"tls\", \"config\": {\"ca_certificate_file\": \"" + cpCaCopy + "\"}}]"));
        assertThat(Files.readString(cpCaCopy)).isEqualTo(cpCa.pem());
        assertThat(bootstrap.at("/node/id").asText()).isEqualTo("demo.web-1");
        assertThat(bootstrap.at("/node/cluster").asText()).isEqualTo("web");
        assertThat(bootstrap.at("/node/metadata/dataplane.token").asText()).isEqualTo(RunFlagsTest.TOKEN);
        JsonNode resource = Json.json().readTree(bootstrap.at("/node/metadata/dataplane.resource").asText());
        assertThat(resource.path("name").asText()).isEqualTo("web-1");
        JsonNode provider = bootstrap.at("/certificate_providers/ursa");
        assertThat(provider.path("plugin_name").asText()).isEqualTo("file_watcher");
        Path absolute = certs.toAbsolutePath();
        assertThat(provider.at("/config/certificate_file").asText()).isEqualTo(absolute.resolve("cert.pem").toString());
        assertThat(provider.at("/config/private_key_file").asText()).isEqualTo(absolute.resolve("key.pem").toString());
        assertThat(provider.at("/config/ca_certificate_file").asText()).isEqualTo(absolute.resolve("ca.pem").toString());
        assertThat(provider.at("/config/refresh_interval").asText()).isEqualTo("1s");
        assertThat(Files.getPosixFilePermissions(bootstrapFile)) // it carries the token
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        // each file the provider names is there
        for (String field : List.of("certificate_file", "private_key_file", "ca_certificate_file")) {
            assertThat(Path.of(provider.at("/config/" + field).asText())).isRegularFile();
        }
    }

    @Test
    void refusesBadFlagsBeforeContactingTheControlPlane() {
        int missingDir = env.execute("grpc-agent", "--cp-address", cp.address(), "--mesh", "demo", "--name", "web-1");
        int grpcScheme = env.execute("grpc-agent", "--cp-address", "grpc://127.0.0.1:" + cp.port(), "--mesh", "demo",
                "--name", "web-1", "--certificates-dir", certs.toString());
        int missingCa = env.execute("grpc-agent", "--ca-cert-file", dir.resolve("nope.pem").toString(), "--mesh",
                "demo", "--name", "web-1", "--certificates-dir", certs.toString());
        int noName = env.execute("grpc-agent", "--cp-address", cp.address(), "--mesh", "demo", "--certificates-dir",
                certs.toString());

        assertThat(missingDir).isEqualTo(UrsaDp.USAGE);
        assertThat(env.err()).contains("Missing required option: '--certificates-dir=DIR'");
        assertThat(grpcScheme).isEqualTo(UrsaDp.ERROR);
        assertThat(env.err()).contains("Error: invalid --cp-address \"grpc://127.0.0.1:" + cp.port() + "\" (expected:"
                + " the URL of the control plane's DP server, e.g. https://localhost:5678, or http://host:port for a"
                + " plaintext one)");
        assertThat(missingCa).isEqualTo(UrsaDp.ERROR);
        assertThat(env.err()).contains("Error: could not read the CA certificate file " + dir.resolve("nope.pem")
                + ": it does not exist");
        assertThat(noName).isEqualTo(UrsaDp.ERROR);
        assertThat(env.err()).contains("Error: --name is required");
        assertThat(cp.requests()).isEmpty();
    }

    @Test
    void staysPlaintextForAnHttpAddress() throws Exception {
        cp.close();
        cp = SecretsControlPlane.start();
        serve("1", ca.issue("web"));
        Path bootstrapFile = dir.resolve("bootstrap.json");

        startAgent(List.of("grpc-agent", "--cp-address", cp.address(), "-d", definition.toString(), "-v", "index=1",
                "--certificates-dir", certs.toString(), "--bootstrap-file", bootstrapFile.toString()));
        await().until(() -> env.out().contains(READY));

        assertThat(cp.address()).startsWith("http://");
        assertThat(Json.json().readTree(Files.readString(bootstrapFile)).at("/xds_servers/0/channel_creds"))
                .isEqualTo(Json.json().readTree("[{\"type\": \"insecure\"}]"));
        assertThat(certs.resolve("cp-ca.pem")).doesNotExist();
    }

    @Test
    void refusesAControlPlaneTheCaDoesNotSignBeforeWritingAnyCertificate() throws Exception {
        cp.close();
        cp = SecretsControlPlane.startTls(ServerCertificates.Ca.create("Someone Else").issue("127.0.0.1"));
        serve("1", ca.issue("web"));

        int code = runAgent("--ca-cert-file", cpCaFile.toString());

        assertThat(code).isEqualTo(UrsaDp.ERROR);
        assertThat(env.err()).contains("Error: the control plane at " + cp.address() + " presented a certificate"
                + " that the CA in --ca-cert-file " + cpCaFile + " does not sign: ")
                .contains("; pass the control plane's CA with --ca-cert-file (it is served at GET"
                        + " /control-plane/ca.pem on the control plane's API)");
        assertNoCertificateAndNoRetry();
    }

    @Test
    void refusesACertificateThatNamesAnotherHost() throws Exception {
        cp.close();
        cp = SecretsControlPlane.startTls(cpCa.issue("cp.example"));
        serve("1", ca.issue("web"));

        int code = runAgent("--ca-cert-file", cpCaFile.toString());

        assertThat(code).isEqualTo(UrsaDp.ERROR);
        assertThat(env.err()).contains("Error: the control plane at " + cp.address() + " presented a certificate"
                + " that is not valid for 127.0.0.1: No subject alternative names matching IP address 127.0.0.1 found;"
                + " use a --cp-address whose host the certificate names");
        assertNoCertificateAndNoRetry();
    }

    @Test
    void theDefaultTrustStoreRefusesAControlPlaneWithItsOwnCa() throws Exception {
        serve("1", ca.issue("web"));

        int code = runAgent();

        assertThat(code).isEqualTo(UrsaDp.ERROR);
        assertThat(env.err()).contains("Error: the control plane at " + cp.address() + " presented a certificate"
                + " that the JVM's default trust store does not sign: ");
        assertNoCertificateAndNoRetry();
    }

    @Test
    void anHttpAddressOfATlsServerEndsTheAgentNamingHttps() throws Exception {
        try (SchemeMismatchServer tlsPort = SchemeMismatchServer.start(SchemeMismatchServer.Mode.TLS_PORT)) {
            String address = "127.0.0.1:" + tlsPort.port();

            int code = env.execute("grpc-agent", "--cp-address", "http://" + address, "--mesh", "demo", "--name",
                    "web-1", "--certificates-dir", certs.toString());

            assertThat(code).isEqualTo(UrsaDp.ERROR);
            assertThat(env.err()).contains("Error: the control plane at http://" + address + " speaks TLS: use https://"
                    + address + "\n");
            assertThat(tlsPort.connections()).isEqualTo(1);
        }
        assertNoCertificateAndNoRetry();
    }

    @Test
    void anHttpsAddressOfAPlaintextServerEndsTheAgentNamingHttp() throws Exception {
        try (SchemeMismatchServer plaintext = SchemeMismatchServer.start(SchemeMismatchServer.Mode.PLAINTEXT_PORT)) {
            String address = "127.0.0.1:" + plaintext.port();

            int code = env.execute("grpc-agent", "--cp-address", "https://" + address, "--ca-cert-file",
                    cpCaFile.toString(), "--mesh", "demo", "--name", "web-1", "--certificates-dir", certs.toString());

            assertThat(code).isEqualTo(UrsaDp.ERROR);
            assertThat(env.err()).contains("Error: the control plane at https://" + address + " does not speak TLS on"
                    + " this port: use http://" + address + " if it runs with dpServer.plaintext, or check the port\n");
            assertThat(plaintext.connections()).isEqualTo(1);
        }
        assertNoCertificateAndNoRetry();
    }

    @Test
    void anHttpsAddressOfAPlaintextGrpcServerEndsTheAgentToo() throws Exception {
        cp.close();
        cp = SecretsControlPlane.start();
        String address = "127.0.0.1:" + cp.port();

        int code = env.execute("grpc-agent", "--cp-address", "https://" + address, "--ca-cert-file",
                cpCaFile.toString(), "--mesh", "demo", "--name", "web-1", "--certificates-dir", certs.toString());

        assertThat(code).isEqualTo(UrsaDp.ERROR);
        assertThat(env.err()).contains("Error: the control plane at https://" + address + " does not speak TLS on"
                + " this port");
        assertNoCertificateAndNoRetry();
    }

    /** Runs the agent of web-1 to its end, with {@code extra} flags. */
    private int runAgent(String... extra) {
        List<String> args = new ArrayList<>(List.of("grpc-agent", "--cp-address", cp.address(), "-d",
                definition.toString(), "-v", "index=1", "--dataplane-token-file", tokenFile.toString(),
                "--certificates-dir", certs.toString()));
        args.addAll(List.of(extra));
        return env.execute(args.toArray(String[]::new));
    }

    private void assertNoCertificateAndNoRetry() {
        assertThat(certs.resolve("cert.pem")).doesNotExist();
        assertThat(env.time.sleeps()).isEmpty();
        assertThat(env.err()).contains("(stream 1)").doesNotContain("(stream 2)").doesNotContain("opening it again");
        assertThat(cp.requests()).isEmpty();
    }

    private CompletableFuture<Integer> startAgent(String... extra) {
        List<String> args = new ArrayList<>(List.of("grpc-agent", "--cp-address", cp.address(), "--ca-cert-file",
                cpCaFile.toString(), "-d", definition.toString(), "-v", "index=1", "--dataplane-token-file",
                tokenFile.toString(), "--certificates-dir", certs.toString()));
        args.addAll(List.of(extra));
        return startAgent(args);
    }

    private CompletableFuture<Integer> startAgent(List<String> args) {
        return CompletableFuture.supplyAsync(() -> env.execute(args.toArray(String[]::new)), executor);
    }

    private void serve(String version, DataplaneCertificateIssuer.Issued issued) {
        cp.serve(version, SecretsControlPlane.identity(IDENTITY, issued.certificatePem(), issued.privateKeyPem()),
                SecretsControlPlane.ca(MESH_CA, ca.caPem));
    }

    /** The request that acknowledged {@code version}. */
    private Optional<DiscoveryRequest> ack(String version) {
        return cp.requests().stream()
                .filter(r -> r.getVersionInfo().equals(version) && !r.getResponseNonce().isEmpty()
                        && !r.hasErrorDetail())
                .findFirst();
    }

    /** The first NACK, once the agent has logged that it rejected {@code version}. */
    private Optional<DiscoveryRequest> nackOf(String version) {
        return cp.requests().stream().filter(DiscoveryRequest::hasErrorDetail).findFirst()
                .filter(r -> env.err().contains("rejected certificates version " + version));
    }

    private static String certificateSerial(DataplaneCertificateIssuer.Issued issued) throws Exception {
        var certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(issued.certificatePem().getBytes(StandardCharsets.US_ASCII)));
        return certificate.getSerialNumber().toString(16);
    }
}
