package io.ursa.dp;

import static io.ursa.dp.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ursa.api.codec.Json;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.resource.ResourceTypes;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/**
 * {@code ursa-dp run} end to end against the stand-ins for what cannot run here: a fake DP server (the real one
 * is a later issue) and a fake Envoy script. With DNS: the ports sent in the bootstrap request, and the DNS server run
 * for a Dataplane with transparent proxying (its table comes over ADS, see {@link DnsTableAgentTest}; the fake DP
 * server speaks only HTTP).
 */
class RunTest {
    @TempDir
    Path dir;

    private final TestEnvironment env = new TestEnvironment();
    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private FakeControlPlane cp;
    private FakeEnvoy envoy;
    private Path definition;
    private Path tokenFile;

    @BeforeEach
    void setUp() throws IOException {
        cp = FakeControlPlane.start();
        envoy = FakeEnvoy.create(dir, "envoy", 0, FakeEnvoy.OnTerm.EXIT);
        definition = Files.writeString(dir.resolve("dp.yaml"), RunFlagsTest.TEMPLATE);
        tokenFile = Files.writeString(dir.resolve("token"), RunFlagsTest.TOKEN);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        if (env.hookRegistered()) {
            env.signal();
        }
        executor.shutdown();
        assertThat(executor.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        cp.close();
    }

    @Test
    void bootstrapsRunsEnvoyAndStopsItCleanlyOnSigterm() throws Exception {
        Path configDir = dir.resolve("conf");
        CompletableFuture<Integer> run = start("run", "--cp-address", cp.address(), "--binary-path",
                envoy.binary().toString(), "--config-dir", configDir.toString(), "-d", definition.toString(),
                "-v", "name=backend-1", "-v", "address=192.168.0.1", "--dataplane-token-file", tokenFile.toString(),
                "--drain-time", "5s");

        await().until(envoy::isRunning);

        Path bootstrap = configDir.resolve("bootstrap.yaml");
        assertThat(Files.readString(bootstrap)).isEqualTo(FakeControlPlane.BOOTSTRAP_YAML);
        assertThat(Files.getPosixFilePermissions(bootstrap))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(envoy.starts()).containsExactly(List.of("-c", bootstrap.toString(), "--drain-time-s", "5",
                "--disable-hot-restart", "--log-level", "info", "--cpuset-threads"));

        assertThat(cp.requests()).hasSize(1);
        JsonNode request = cp.requests().get(0).json();
        assertThat(request.path("mesh").asText()).isEqualTo("demo");
        assertThat(request.path("name").asText()).isEqualTo("backend-1");
        assertThat(request.path("proxyType").asText()).isEqualTo("dataplane");
        assertThat(request.path("dataplaneToken").asText()).isEqualTo(RunFlagsTest.TOKEN);
        assertThat(request.path("dataplaneTokenPath").asText()).isEqualTo(tokenFile.toString());
        assertThat(request.path("version").path("kumaDp").path("version").asText()).isEqualTo("0.0.1");
        assertThat(request.path("version").path("envoy").path("version").asText()).isEqualTo("1.24.2");
        assertThat(request.path("operatingSystem").asText()).isEqualTo("linux");
        // the definition as rendered, decoded and written back in Universal form, as a JSON string
        String rendered = RunFlagsTest.TEMPLATE.replace("{{ name }}", "backend-1")
                .replace("{{ address }}", "192.168.0.1");
        ResourceCodec codec = new ResourceCodec(ResourceTypes.standard());
        JsonNode expectedResource = codec.toUniversal(codec.decode(codec.parseYamlDocuments(rendered).get(0)));
        JsonNode sentResource = Json.json().readTree(request.path("dataplaneResource").asText());
        assertThat(sentResource).isEqualTo(expectedResource);
        assertThat(sentResource.path("networking").path("address").asText()).isEqualTo("192.168.0.1");

        assertThat(env.signal()).isZero();
        assertThat(run.get(30, TimeUnit.SECONDS)).isZero();
        assertThat(envoy.wasTerminated()).isTrue();
        assertThat(env.err()).contains("stopping Envoy").contains("INFO  stopped");
    }

    @Test
    void keepsTheConfigurationInATemporaryDirectoryRemovedAtExit() throws Exception {
        CompletableFuture<Integer> run = start("run", "--cp-address", cp.address(), "--binary-path",
                envoy.binary().toString(), "--name", "backend-1", "--mesh", "demo", "--dataplane-token",
                RunFlagsTest.TOKEN);
        await().until(envoy::isRunning);
        Path bootstrap = Path.of(envoy.starts().get(0).get(1));
        assertThat(bootstrap).exists().hasFileName("bootstrap.yaml");
        // an inline token is also written next to the bootstrap, for a control plane that has Envoy read it
        Path writtenToken = bootstrap.resolveSibling(DataplaneToken.FILE_NAME);
        assertThat(Files.readString(writtenToken)).isEqualTo(RunFlagsTest.TOKEN);
        assertThat(cp.requests().get(0).json().path("dataplaneTokenPath").asText()).isEqualTo(writtenToken.toString());
        assertThat(cp.requests().get(0).json().has("dataplaneResource")).isFalse();

        assertThat(env.signal()).isZero();
        assertThat(run.get(30, TimeUnit.SECONDS)).isZero();
        assertThat(bootstrap.getParent()).doesNotExist();
    }

    @Test
    void forwardsTheAccessLogsOfTcpBackendsWhileEnvoyRuns() throws Exception {
        try (LogCollector collector = LogCollector.start()) {
            CompletableFuture<Integer> run = start("run", "--cp-address", cp.address(), "--binary-path",
                    envoy.binary().toString(), "--name", "backend-1", "--mesh", "demo");
            await().until(envoy::isRunning);
            Path pipe = env.pipeDir.resolve("kuma-al-backend-1-demo.sock");
            assertThat(Files.readAttributes(pipe, PosixFileAttributes.class).isOther()).isTrue();

            Files.writeString(pipe, collector.address() + ";GET /api 200\n", StandardOpenOption.APPEND);

            await().untilAsserted(() -> assertThat(collector.lines()).containsExactly("GET /api 200"));
            assertThat(env.signal()).isZero();
            assertThat(run.get(30, TimeUnit.SECONDS)).isZero();
            assertThat(pipe).doesNotExist();
        }
    }

    @Test
    void retriesUntilTheControlPlaneKnowsTheDataplane() throws Exception {
        cp.thenAnswer(404, "").thenAnswer(404, "");

        CompletableFuture<Integer> run = start("run", "--cp-address", cp.address(), "--binary-path",
                envoy.binary().toString(), "--name", "backend-1", "--mesh", "demo");

        await().until(envoy::isRunning);
        assertThat(cp.requests()).hasSize(3);
        assertThat(env.err()).contains("the control plane at " + cp.address() + " does not know this Dataplane yet;"
                + " retrying in 3s");
        assertThat(env.signal()).isZero();
        assertThat(run.get(30, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void bootstrapsFromAnotherInstanceWhenOneDoesNotAnswerAndNamesEveryInstanceToTheControlPlane() throws Exception {
        String dead = "http://127.0.0.1:" + freePort();

        CompletableFuture<Integer> run = start("run", "--cp-address", dead + "," + cp.address(), "--binary-path",
                envoy.binary().toString(), "--name", "backend-1", "--mesh", "demo");

        await().until(envoy::isRunning);
        assertThat(cp.requests()).hasSize(1);
        assertThat(cp.requests().get(0).json().path("controlPlaneAddresses")).isEqualTo(Json.json().readTree(
                "[\"" + dead + "\", \"" + cp.address() + "\"]"));
        assertThat(env.err()).contains("could not connect to the control plane at " + dead)
                .contains("the control plane instance at " + cp.address() + " answered");
        assertThat(env.signal()).isZero();
        assertThat(run.get(30, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void asksTheControlPlaneForTheAdsVariantOnlyWhenTold() throws Exception {
        env.variables.put("URSA_DATAPLANE_RUNTIME_XDS_PROTOCOL", "Delta");
        CompletableFuture<Integer> run = start("run", "--cp-address", cp.address(), "--binary-path",
                envoy.binary().toString(), "--name", "backend-1", "--mesh", "demo");

        await().until(envoy::isRunning);
        assertThat(cp.requests().get(0).json().path("xdsProtocol").asText()).isEqualTo("delta");
        assertThat(env.signal()).isZero();
        assertThat(run.get(30, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void exitsNonZeroNamingTheMeshWhenTheControlPlaneSaysItDoesNotExist() {
        cp.thenAnswer(422, "mesh: mesh \"demo\" does not exist");

        int code = env.execute("run", "--cp-address", cp.address(), "--binary-path", envoy.binary().toString(),
                "-d", definition.toString(), "-v", "name=backend-1", "-v", "address=192.168.0.1");

        assertThat(code).isEqualTo(1);
        assertThat(env.err()).endsWith("Error: the control plane at " + cp.address() + " rejected the bootstrap "
                + "request (HTTP 422): mesh: mesh \"demo\" does not exist\n");
        assertThat(envoy.starts()).isEmpty();
    }

    @Test
    void exitsNonZeroNamingTheAddressWhenTheControlPlaneIsUnreachable() throws IOException {
        String address = "http://127.0.0.1:" + freePort();
        env.variables.put("URSA_CONTROL_PLANE_RETRY_MAX_DURATION", "9s");

        int code = env.execute("run", "--cp-address", address, "--binary-path", envoy.binary().toString(),
                "--name", "backend-1", "--mesh", "demo");

        assertThat(code).isEqualTo(1);
        assertThat(env.err()).contains("(attempt 4)").doesNotContain("(attempt 5)")
                .contains("Error: could not reach the control plane at " + address + " (last error: connection "
                        + "refused)")
                .contains("gave up after 4 attempts in 9s");
        assertThat(envoy.starts()).isEmpty();
    }

    @Test
    void exitsNonZeroWhenEnvoyKeepsCrashing() throws IOException {
        FakeEnvoy crashing = FakeEnvoy.create(dir, "crashing", 1000, FakeEnvoy.OnTerm.EXIT);

        int code = env.execute("run", "--cp-address", cp.address(), "--binary-path", crashing.binary().toString(),
                "--name", "backend-1", "--mesh", "demo");

        assertThat(code).isEqualTo(1);
        assertThat(crashing.starts()).hasSize(RestartPolicy.DEFAULT.maxFastFailures());
        assertThat(env.err()).contains("Error: Envoy exited 5 times in a row within 10s of starting (last exit code "
                + "3); giving up");
    }

    @Test
    void printsTheFatalErrorOnceWhenEnvoyKeepsCrashing() throws IOException {
        FakeEnvoy crashing = FakeEnvoy.create(dir, "crashing", 1000, FakeEnvoy.OnTerm.EXIT);

        int code = env.execute("run", "--cp-address", cp.address(), "--binary-path", crashing.binary().toString(),
                "--name", "backend-1", "--mesh", "demo");

        assertThat(code).isEqualTo(1);
        assertThat(occurrences(env.err(), "times in a row within")).as(env.err()).isOne();
        assertThat(env.err()).endsWith("; giving up. Envoy's own output above says why\n");
    }

    @Test
    void printsTheFatalErrorOnceWhenTheControlPlaneRefusesTheMesh() {
        cp.thenAnswer(422, "mesh: mesh \"demo\" does not exist");

        int code = env.execute("run", "--cp-address", cp.address(), "--binary-path", envoy.binary().toString(),
                "--name", "backend-1", "--mesh", "demo");

        assertThat(code).isEqualTo(1);
        assertThat(occurrences(env.err(), "does not exist")).as(env.err()).isOne();
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
            count++;
        }
        return count;
    }

    @Test
    void runsTheDnsServerForATransparentProxyAndStopsItWithEnvoy() throws Exception {
        cp.thenAnswer(200, FakeControlPlane.okBody(FakeControlPlane.BOOTSTRAP_YAML, true));
        int port = freeUdpPort();
        try (UpstreamDns upstream = UpstreamDns.start(Map.of("outside.example.", "192.0.2.10"))) {
            CompletableFuture<Integer> run = startDp("--dns-coredns-port", Integer.toString(port),
                    "--dns-envoy-port", "25054", "--dns-coredns-empty-port", "25055", "--dns-upstream",
                    upstream.hostPort());
            await().until(envoy::isRunning);

            JsonNode request = cp.requests().get(0).json();
            assertThat(request.path("dnsPort").asInt()).isEqualTo(25054);
            assertThat(request.path("emptyDnsPort").asInt()).isEqualTo(25055);
            DnsClient client = new DnsClient(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            assertThat(DnsClient.addresses(client.query("outside.example", Type.A))).containsExactly("192.0.2.10");
            assertThat(env.err()).containsPattern("INFO  DNS server listening on 127\\.0\\.0\\.1:" + port
                    + "(, \\[0:0:0:0:0:0:0:1\\]:" + port + ")? \\(UDP and TCP\\), forwarding other names to "
                    + upstream.hostPort());

            assertThat(env.signal()).isZero();
            assertThat(run.get(30, TimeUnit.SECONDS)).isZero();
        }
        try (DatagramSocket again = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            assertThat(again.getLocalPort()).isEqualTo(port); // the DNS server let go of its port
        }
    }

    @Test
    void runsWithoutTheDnsServerWhenTheDataplaneDoesNotUseTransparentProxying() throws Exception {
        CompletableFuture<Integer> run = startDp("--dns-coredns-port", Integer.toString(freeUdpPort()));
        await().until(envoy::isRunning);

        assertThat(cp.requests().get(0).json().path("dnsPort").asInt()).isEqualTo(15054);
        assertThat(env.err()).contains("INFO  running without the DNS server: the Dataplane does not use "
                + "transparent proxying").doesNotContain("DNS server listening");
        assertThat(env.signal()).isZero();
        assertThat(run.get(30, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void runsAZoneEgressWithItsTokenAndWithoutTheSidecarParts() throws Exception {
        cp.thenAnswer(200, FakeControlPlane.okBody(FakeControlPlane.BOOTSTRAP_YAML, true));
        Path egress = Files.writeString(dir.resolve("egress.yaml"), RunFlagsTest.EGRESS);
        Path configDir = dir.resolve("conf");

        CompletableFuture<Integer> run = start("run", "--proxy-type", "egress", "--cp-address", cp.address(),
                "--binary-path", envoy.binary().toString(), "--config-dir", configDir.toString(), "--dataplane-file",
                egress.toString(), "-v", "name=egress-1", "-v", "address=192.168.0.2", "--dataplane-token-file",
                tokenFile.toString(), "--dns-coredns-port", Integer.toString(freeUdpPort()));
        await().until(envoy::isRunning);

        assertThat(cp.requests()).hasSize(1);
        JsonNode request = cp.requests().get(0).json();
        assertThat(request.path("proxyType").asText()).isEqualTo("egress");
        assertThat(request.path("mesh").asText()).isEmpty();
        assertThat(request.path("name").asText()).isEqualTo("egress-1");
        assertThat(request.path("dataplaneToken").asText()).isEqualTo(RunFlagsTest.TOKEN);
        assertThat(request.path("dataplaneTokenPath").asText()).isEqualTo(tokenFile.toString());
        JsonNode resource = Json.json().readTree(request.path("dataplaneResource").asText());
        assertThat(resource.path("type").asText()).isEqualTo("ZoneEgress");
        assertThat(resource.path("networking").path("address").asText()).isEqualTo("192.168.0.2");
        assertThat(request.has("dnsPort")).as("no DNS for a zone proxy").isFalse();
        assertThat(request.has("emptyDnsPort")).isFalse();
        assertThat(envoy.starts()).singleElement().satisfies(args -> assertThat(args).startsWith("-c",
                configDir.resolve("bootstrap.yaml").toString()));
        // Envoy has an admin port and the control plane said "transparent proxy", yet neither sidecar part runs
        assertThat(env.err()).doesNotContain("DNS server");
        try (var files = Files.list(env.pipeDir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("kuma-mh-"));
        }

        assertThat(env.signal()).isZero();
        assertThat(run.get(30, TimeUnit.SECONDS)).isZero();
        assertThat(envoy.wasTerminated()).isTrue();
    }

    @Test
    void runsABuiltinGatewayFromItsDataplaneWithoutAProxyType() throws Exception {
        Path gateway = Files.writeString(dir.resolve("gateway.yaml"), """
                type: Dataplane
                mesh: demo
                name: {{ name }}
                networking:
                  address: {{ address }}
                  gateway:
                    type: BUILTIN
                    tags:
                      kuma.io/service: edge-gateway
                """);
        env.variables.put("URSA_DATAPLANE_RESOURCES_MAX_MEMORY_BYTES", "1048576");

        CompletableFuture<Integer> run = start("run", "--cp-address", cp.address(), "--binary-path",
                envoy.binary().toString(), "--dataplane-file", gateway.toString(), "-v", "name=edge-1",
                "-v", "address=192.168.0.3", "--dataplane-token-file", tokenFile.toString(),
                "--dns-coredns-port", Integer.toString(freeUdpPort()));
        await().until(envoy::isRunning);

        JsonNode request = cp.requests().get(0).json();
        assertThat(request.path("proxyType").asText()).isEqualTo("dataplane");
        assertThat(request.path("mesh").asText()).isEqualTo("demo");
        assertThat(request.path("name").asText()).isEqualTo("edge-1");
        // the control plane adds the gateway's overload manager for this limit
        assertThat(request.path("resources").path("maxHeapSizeBytes").asLong()).isEqualTo(1048576);
        JsonNode resource = Json.json().readTree(request.path("dataplaneResource").asText());
        assertThat(resource.path("networking").path("gateway").path("type").asText()).isEqualTo("BUILTIN");
        assertThat(resource.path("networking").has("inbound")).isFalse();
        assertThat(env.err()).contains("running without the DNS server");

        assertThat(env.signal()).isZero();
        assertThat(run.get(30, TimeUnit.SECONDS)).isZero();
        assertThat(envoy.wasTerminated()).isTrue();
    }

    @Test
    void refusesAGatewayDefinitionWithInboundsBeforeContactingTheControlPlane() {
        CompletableFuture<Integer> run = start("run", "--cp-address", cp.address(), "--binary-path",
                envoy.binary().toString(), "--dataplane-token-file", tokenFile.toString(), "--dataplane", """
                type: Dataplane
                mesh: demo
                name: edge-1
                networking:
                  address: 192.168.0.3
                  gateway:
                    type: BUILTIN
                    tags:
                      kuma.io/service: edge-gateway
                  inbound:
                  - port: 8080
                    tags:
                      kuma.io/service: web
                """);

        assertThat(run.join()).isEqualTo(1);
        assertThat(env.err()).contains("inbound cannot be defined");
        assertThat(cp.requests()).isEmpty();
    }

    @Test
    void sendsNoDnsPortsWhenDnsIsDisabled() throws Exception {
        cp.thenAnswer(200, FakeControlPlane.okBody(FakeControlPlane.BOOTSTRAP_YAML, true));

        CompletableFuture<Integer> run = startDp("--dns-enabled=false");
        await().until(envoy::isRunning);

        JsonNode request = cp.requests().get(0).json();
        assertThat(request.has("dnsPort")).isFalse();
        assertThat(request.has("emptyDnsPort")).isFalse();
        assertThat(env.err()).doesNotContain("DNS server");
        assertThat(env.signal()).isZero();
        assertThat(run.get(30, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void exitsNamingThePortWhenTheDnsPortIsTaken() throws IOException {
        cp.thenAnswer(200, FakeControlPlane.okBody(FakeControlPlane.BOOTSTRAP_YAML, true));
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            int code = env.execute("run", "--cp-address", cp.address(), "--binary-path", envoy.binary().toString(),
                    "--name", "backend-1", "--mesh", "demo", "--dns-coredns-port",
                    Integer.toString(taken.getLocalPort()));

            assertThat(code).isEqualTo(1);
            assertThat(env.err()).contains("Error: could not listen for DNS on 127.0.0.1:" + taken.getLocalPort()
                    + ": ").contains("(choose another port with --dns-coredns-port, or run without DNS with "
                    + "--dns-enabled=false)");
            assertThat(envoy.starts()).isEmpty();
        }
    }

    /** {@code run} for Dataplane backend-1 of mesh demo against the fake DP server and Envoy, plus {@code args}. */
    private CompletableFuture<Integer> startDp(String... args) {
        List<String> all = new ArrayList<>(List.of("run", "--cp-address", cp.address(), "--binary-path",
                envoy.binary().toString(), "--name", "backend-1", "--mesh", "demo"));
        all.addAll(List.of(args));
        return start(all.toArray(String[]::new));
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return socket.getLocalPort();
        }
    }

    private CompletableFuture<Integer> start(String... args) {
        return CompletableFuture.supplyAsync(() -> env.execute(args), executor);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
