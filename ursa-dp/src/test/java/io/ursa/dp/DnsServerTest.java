package io.ursa.dp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** The DNS server over real UDP and TCP, with its table given by hand and a test upstream for the other names. */
class DnsServerTest {
    private static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private final TestEnvironment env = new TestEnvironment();
    private UpstreamDns upstream;
    private DnsServer server;
    private DnsClient client;

    @BeforeEach
    void setUp() throws IOException {
        upstream = UpstreamDns.start(Map.of("outside.example.", "192.0.2.10"));
        server = DnsServer.start(ANY_PORT, List.of(upstream.address()), env.log());
        server.update(DnsTable.of(Map.of(
                "backend.mesh", entry("240.0.0.3"),
                "dual.mesh", entry("240.0.0.4", "::ffff:240.0.0.4"))));
        client = new DnsClient(server.address());
    }

    @AfterEach
    void tearDown() {
        server.close();
        upstream.close();
    }

    @Test
    void answersAMeshNameWithItsVirtualIpInAnyCase() throws IOException {
        Message answer = client.query("backend.mesh", Type.A);

        assertThat(answer.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(DnsClient.addresses(answer)).containsExactly("240.0.0.3");
        assertThat(answer.getSection(org.xbill.DNS.Section.ANSWER).get(0).getTTL()).isEqualTo(30);
        assertThat(answer.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(DnsClient.addresses(client.query("BackEnd.MESH", Type.A))).containsExactly("240.0.0.3");
        assertThat(upstream.asked()).isEmpty();
    }

    @Test
    void answersAaaaOnlyWithTheIpv6AddressesOfTheTable() throws IOException {
        assertThat(DnsClient.addresses(client.query("dual.mesh", Type.AAAA))).containsExactly("::ffff:240.0.0.4");
        assertThat(DnsClient.addresses(client.query("dual.mesh", Type.A))).containsExactly("240.0.0.4");
    }

    @Test
    void answersOtherTypesOfAMeshNameWithAnEmptyNoerrorNotNxdomain() throws IOException {
        Message aaaa = client.query("backend.mesh", Type.AAAA);
        Message txt = client.query("backend.mesh", Type.TXT);

        assertThat(aaaa.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(DnsClient.addresses(aaaa)).isEmpty();
        assertThat(txt.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(DnsClient.addresses(txt)).isEmpty();
        assertThat(upstream.asked()).isEmpty();
    }

    @Test
    void forwardsOtherNamesToTheUpstreamAndReturnsItsAnswer() throws IOException {
        Message known = client.query("outside.example", Type.A);
        Message unknown = client.query("nowhere.example", Type.A);
        Message otherMesh = client.query("unknown.mesh", Type.A);

        assertThat(known.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(DnsClient.addresses(known)).containsExactly("192.0.2.10");
        assertThat(unknown.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(otherMesh.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(upstream.asked()).containsExactly("outside.example.", "nowhere.example.", "unknown.mesh.");
    }

    @Test
    void answersOverTcpToo() throws IOException {
        DnsClient tcp = new DnsClient(server.address()).overTcp();

        assertThat(DnsClient.addresses(tcp.query("backend.mesh", Type.A))).containsExactly("240.0.0.3");
        assertThat(DnsClient.addresses(tcp.query("outside.example", Type.A))).containsExactly("192.0.2.10");
    }

    @Test
    void answersServfailAndWarnsOnceWhenTheUpstreamIsGone() throws IOException {
        upstream.close();

        assertThat(client.query("outside.example", Type.A).getRcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(client.query("again.example", Type.A).getRcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(DnsClient.addresses(client.query("backend.mesh", Type.A))).containsExactly("240.0.0.3");
        assertThat(env.err().lines().filter(line -> line.contains("WARN  could not forward a DNS query for "
                + "outside.example. to " + upstream.hostPort()))).as(env.err()).hasSize(1);
        assertThat(env.err()).doesNotContain("again.example");
    }

    @Test
    void neverForwardsToItself() throws IOException {
        InetSocketAddress self;
        try (DatagramSocket probe = new DatagramSocket(ANY_PORT)) {
            self = new InetSocketAddress(probe.getLocalAddress(), probe.getLocalPort());
        }
        try (DnsServer looping = DnsServer.start(self, List.of(self), env.log())) {
            Message answer = new DnsClient(looping.address()).query("outside.example", Type.A);

            assertThat(answer.getRcode()).isEqualTo(Rcode.SERVFAIL);
            assertThat(env.err()).contains("not forwarding DNS queries to " + DnsForwarder.describe(self)
                    + ": that is this server");
        }
    }

    @Test
    void listensOnTheIpv4AndIpv6LoopbackWhereIptablesAndIp6tablesRedirect() throws IOException {
        try (DnsServer loopback = DnsServer.startOnLoopback(0, List.of(upstream.address()), env.log())) {
            loopback.update(server.table());
            int port = loopback.address().getPort();

            assertThat(loopback.address()).isEqualTo(new InetSocketAddress("127.0.0.1", port));
            for (InetSocketAddress address : loopback.addresses()) {
                assertThat(DnsClient.addresses(new DnsClient(address).query("backend.mesh", Type.A)))
                        .as("over %s", address).containsExactly("240.0.0.3");
            }
            Assumptions.assumeTrue(loopback.addresses().size() == 2, "this host has no IPv6 loopback");
            assertThat(loopback.addresses().get(1)).isEqualTo(new InetSocketAddress("::1", port));
        }
    }

    @Test
    void refusesAPortThatIsTaken() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DnsServer.start(server.address(), List.of(),
                env.log())).isInstanceOf(IOException.class);
    }

    private static DnsTable.Entry entry(String... addresses) {
        return new DnsTable.Entry(java.util.Arrays.stream(addresses).map(DnsServerTest::ip).toList(),
                Duration.ofSeconds(30));
    }

    private static InetAddress ip(String text) {
        return IpLiteral.parse(text).orElseThrow();
    }
}
