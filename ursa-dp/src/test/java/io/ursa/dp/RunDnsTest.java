package io.ursa.dp;

import static io.ursa.dp.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * {@code ursa-dp run} with DNS: the ports it sends in the bootstrap request, the DNS server it runs for a Dataplane
 * with transparent proxying (on {@code --dns-coredns-port}, forwarding to {@code --dns-upstream}) and stops with
 * Envoy. The table itself comes over ADS ({@link DnsTableAgentTest}); the fake DP server here speaks only HTTP.
 */
class RunDnsTest {
    @TempDir
    Path dir;

    private final TestEnvironment env = new TestEnvironment();
    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private FakeControlPlane cp;
    private FakeEnvoy envoy;
    private UpstreamDns upstream;

    @BeforeEach
    void setUp() throws IOException {
        cp = FakeControlPlane.start();
        envoy = FakeEnvoy.create(dir, "envoy", 0, FakeEnvoy.OnTerm.EXIT);
        upstream = UpstreamDns.start(Map.of("outside.example.", "192.0.2.10"));
        env.variables.put("URSA_CONTROL_PLANE_RETRY_BACKOFF", "1s");
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        if (env.hookRegistered()) {
            env.signal();
        }
        executor.shutdown();
        assertThat(executor.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        upstream.close();
        cp.close();
    }

    @Test
    void runsTheDnsServerForATransparentProxyAndStopsItWithEnvoy() throws Exception {
        cp.thenAnswer(200, FakeControlPlane.okBody(FakeControlPlane.BOOTSTRAP_YAML, true));
        int port = freeUdpPort();

        CompletableFuture<Integer> run = start("--dns-coredns-port", Integer.toString(port), "--dns-envoy-port",
                "25054", "--dns-coredns-empty-port", "25055", "--dns-upstream", upstream.hostPort());
        await().until(envoy::isRunning);

        JsonNode request = cp.requests().get(0).json();
        assertThat(request.path("dnsPort").asInt()).isEqualTo(25054);
        assertThat(request.path("emptyDnsPort").asInt()).isEqualTo(25055);
        DnsClient client = new DnsClient(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        assertThat(DnsClient.addresses(client.query("outside.example", Type.A))).containsExactly("192.0.2.10");
        assertThat(env.err()).contains("INFO  DNS server listening on 127.0.0.1:" + port + " (UDP and TCP), "
                + "forwarding other names to " + upstream.hostPort());

        assertThat(env.signal()).isZero();
        assertThat(run.get(30, TimeUnit.SECONDS)).isZero();
        try (DatagramSocket again = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            assertThat(again.getLocalPort()).isEqualTo(port); // the DNS server let go of its port
        }
    }

    @Test
    void runsWithoutTheDnsServerWhenTheDataplaneDoesNotUseTransparentProxying() throws Exception {
        CompletableFuture<Integer> run = start("--dns-coredns-port", Integer.toString(freeUdpPort()));
        await().until(envoy::isRunning);

        assertThat(cp.requests().get(0).json().path("dnsPort").asInt()).isEqualTo(15054);
        assertThat(env.err()).contains("INFO  running without the DNS server: the Dataplane does not use "
                + "transparent proxying").doesNotContain("DNS server listening");
        assertThat(env.signal()).isZero();
        assertThat(run.get(30, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void sendsNoDnsPortsWhenDnsIsDisabled() throws Exception {
        cp.thenAnswer(200, FakeControlPlane.okBody(FakeControlPlane.BOOTSTRAP_YAML, true));

        CompletableFuture<Integer> run = start("--dns-enabled=false");
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

    private CompletableFuture<Integer> start(String... dnsArgs) {
        List<String> args = new ArrayList<>(List.of("run", "--cp-address",
                cp.address(), "--binary-path", envoy.binary().toString(), "--name", "backend-1", "--mesh", "demo"));
        args.addAll(List.of(dnsArgs));
        return CompletableFuture.supplyAsync(() -> env.execute(args.toArray(String[]::new)), executor);
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return socket.getLocalPort();
        }
    }
}
