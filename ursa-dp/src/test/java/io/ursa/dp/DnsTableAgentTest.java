package io.ursa.dp;

import static io.ursa.dp.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.Struct;
import com.google.protobuf.StringValue;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.Status;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * The DNS server with its table delivered by a real ADS server (java-control-plane) as the {@code kuma:dns} listener,
 * queried over real UDP.
 */
class DnsTableAgentTest {
    private static final Node NODE = Node.newBuilder()
            .setId("demo.web-1")
            .setCluster("web")
            .setMetadata(Struct.newBuilder()
                    .putFields("dataplane.dns.port", Value.newBuilder().setStringValue("15054").build())
                    .putFields("dataplane.dns.empty.port", Value.newBuilder().setStringValue("15055").build())
                    .putFields("dataplane.proxyType", Value.newBuilder().setStringValue("dataplane").build()))
            .build();

    private final TestEnvironment env = new TestEnvironment();
    private SecretsControlPlane cp;
    private UpstreamDns upstream;
    private DnsServer server;
    private DnsTableAgent agent;
    private DnsClient client;

    @BeforeEach
    void setUp() throws IOException {
        cp = SecretsControlPlane.start();
        upstream = UpstreamDns.start(Map.of("outside.example.", "192.0.2.10"));
        server = DnsServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                List.of(upstream.address()), env.log());
        client = new DnsClient(server.address());
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        if (agent != null) {
            agent.close();
        }
        server.close();
        upstream.close();
        cp.close();
    }

    @Test
    void answersTheMeshNamesOfTheControlPlanesTableAndForwardsTheRest() throws Exception {
        cp.serveListeners("1", KumaDnsListener.of(Map.of(
                "backend.mesh", List.of("240.0.0.3"),
                "web.mesh", List.of("240.0.0.4"))));

        startAgent(Optional.of(RunFlagsTest.TOKEN));

        await().until(() -> ack("1").isPresent());
        assertThat(DnsClient.addresses(client.query("backend.mesh", Type.A))).containsExactly("240.0.0.3");
        assertThat(DnsClient.addresses(client.query("web.mesh", Type.A))).containsExactly("240.0.0.4");
        assertThat(DnsClient.addresses(client.query("outside.example", Type.A))).containsExactly("192.0.2.10");
        DiscoveryRequest first = cp.requests().get(0);
        assertThat(first.getTypeUrl()).isEqualTo("type.googleapis.com/envoy.config.listener.v3.Listener");
        assertThat(first.getResourceNamesList()).containsExactly("kuma:dns");
        assertThat(first.getNode()).isEqualTo(NODE); // Envoy's node, unchanged
        assertThat(cp.authorizations()).containsExactly("Bearer " + RunFlagsTest.TOKEN);
        assertThat(env.err()).contains("INFO  DNS table version 1: 2 names");

        cp.serveListeners("2", KumaDnsListener.of(Map.of("backend.mesh", List.of("240.0.0.9"))));

        await().until(() -> ack("2").isPresent());
        assertThat(DnsClient.addresses(client.query("backend.mesh", Type.A))).containsExactly("240.0.0.9");
        assertThat(client.query("web.mesh", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN); // forwarded now
        assertThat(env.err()).contains("INFO  DNS table version 2: 1 name");
    }

    @Test
    void rejectsABadTableAndKeepsAnsweringFromTheOldOne() throws Exception {
        cp.serveListeners("1", KumaDnsListener.of(Map.of("backend.mesh", List.of("240.0.0.3"))));
        startAgent(Optional.empty());
        await().until(() -> ack("1").isPresent());

        cp.serveListeners("2", KumaDnsListener.of(Map.of("backend.mesh", List.of("not-an-ip"))));

        await().until(() -> nack(1).isPresent());
        DiscoveryRequest nack = nack(1).orElseThrow();
        assertThat(nack.getVersionInfo()).isEqualTo("1");
        assertThat(nack.getErrorDetail().getMessage())
                .isEqualTo("virtual_domains[0].endpoint.address_list.address[0]: \"not-an-ip\" is not an IP address");
        assertThat(DnsClient.addresses(client.query("backend.mesh", Type.A))).containsExactly("240.0.0.3");
        assertThat(env.err()).contains("WARN  rejected DNS table version 2: virtual_domains[0].endpoint"
                + ".address_list.address[0]: \"not-an-ip\" is not an IP address; keeping the current table (1 name)");

        cp.serveListeners("3", KumaDnsListener.withFilterConfig(Any.pack(StringValue.of("not a DNS filter"))));

        await().until(() -> nack(2).isPresent());
        assertThat(nack(2).orElseThrow().getErrorDetail().getMessage()).isEqualTo("kuma:dns "
                + "envoy.filters.udp.dns_filter: typed_config is type.googleapis.com/google.protobuf.StringValue "
                + "(expected: type.googleapis.com/envoy.extensions.filters.udp.dns_filter.v3.DnsFilterConfig)");
        assertThat(DnsClient.addresses(client.query("backend.mesh", Type.A))).containsExactly("240.0.0.3");
    }

    @Test
    void opensTheStreamAgainWhenItBreaks() throws Exception {
        cp.serveListeners("1", KumaDnsListener.of(Map.of("backend.mesh", List.of("240.0.0.3"))));
        startAgent(Optional.empty());
        await().until(() -> ack("1").isPresent());

        cp.breakNextRequest(Status.UNAVAILABLE.withDescription("the control plane restarts"));
        cp.serveListeners("2", KumaDnsListener.of(Map.of("backend.mesh", List.of("240.0.0.7"))));

        await().until(() -> env.err().contains("WARN  the DNS table stream to 127.0.0.1:" + cp.port() + " ended "
                + "(UNAVAILABLE: the control plane restarts); answering from the current table (1 name) meanwhile"));
        await().untilAsserted(() -> assertThat(DnsClient.addresses(client.query("backend.mesh", Type.A)))
                .containsExactly("240.0.0.7"));
    }

    @Test
    void keepsAnsweringFromTheLastTableWhenTheControlPlaneIsGone() throws Exception {
        cp.serveListeners("1", KumaDnsListener.of(Map.of("backend.mesh", List.of("240.0.0.3"))));
        startAgent(Optional.empty(), Sleeper.real()); // real back-off: no tight loop of reconnects to a closed port
        await().until(() -> ack("1").isPresent());
        int port = cp.port();

        cp.close();

        await().until(() -> env.err().contains("WARN  the DNS table stream to 127.0.0.1:" + port + " ended"));
        assertThat(DnsClient.addresses(client.query("backend.mesh", Type.A))).containsExactly("240.0.0.3");
        assertThat(DnsClient.addresses(client.query("outside.example", Type.A))).containsExactly("192.0.2.10");
    }

    @Test
    void movesToTheOtherInstanceWhenItsInstanceGoesAwayKeepingTheTableMeanwhile() throws Exception {
        try (SecretsControlPlane other = SecretsControlPlane.start()) {
            cp.serveListeners("1", KumaDnsListener.of(Map.of("backend.mesh", List.of("240.0.0.3"))));
            other.serveListeners("1", KumaDnsListener.of(Map.of("backend.mesh", List.of("240.0.0.3"))));
            ControlPlanes instances = new ControlPlanes(List.of(
                    new ControlPlaneAddress(URI.create(cp.address()), Optional.empty()),
                    new ControlPlaneAddress(URI.create(other.address()), Optional.empty())));
            agent = DnsTableAgent.start(new DnsTableAgent.Settings(instances, Optional.empty(), NODE,
                    "ursa-dp/0.0.1", Backoff.DEFAULT, 0), server, env.time, env.log());
            await().until(() -> ack("1").isPresent());
            int port = cp.port();

            cp.close();
            assertThat(DnsClient.addresses(client.query("backend.mesh", Type.A))).containsExactly("240.0.0.3");
            other.serveListeners("2", KumaDnsListener.of(Map.of("backend.mesh", List.of("240.0.0.9"))));

            await().untilAsserted(() -> assertThat(DnsClient.addresses(client.query("backend.mesh", Type.A)))
                    .containsExactly("240.0.0.9"));
            assertThat(env.err()).contains("INFO  the DNS table stream to 127.0.0.1:" + port + " ended (")
                    .contains("; trying the instance at 127.0.0.1:" + other.port()).doesNotContain("WARN");
            assertThat(env.time.sleeps()).isEmpty();
        }
    }

    private void startAgent(Optional<String> token) {
        startAgent(token, env.time);
    }

    private void startAgent(Optional<String> token, Sleeper sleeper) {
        ControlPlaneAddress address = new ControlPlaneAddress(URI.create(cp.address()), Optional.empty());
        agent = DnsTableAgent.start(new DnsTableAgent.Settings(ControlPlanes.of(address), token, NODE,
                "ursa-dp/0.0.1", Backoff.DEFAULT, 0), server, sleeper, env.log());
    }

    private Optional<DiscoveryRequest> ack(String version) {
        return cp.requests().stream()
                .filter(r -> r.getVersionInfo().equals(version) && !r.hasErrorDetail()
                        && !r.getResponseNonce().isEmpty())
                .findFirst();
    }

    /** The {@code n}th NACK (1 for the first). */
    private Optional<DiscoveryRequest> nack(int n) {
        return cp.requests().stream().filter(DiscoveryRequest::hasErrorDetail).skip(n - 1).findFirst();
    }
}
