package io.ursa.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * DNS of transparent proxying end to end: the real control plane gives the mesh's services VIPs and the proxy its
 * {@code kuma:dns} listener; the real {@code bin/ursa-dp run} (with {@link FakeEnvoy} as Envoy) reads that table
 * over its own ADS stream and answers real DNS queries: {@code backend.mesh} with backend's VIP, and a name outside
 * the mesh with what the upstream resolver says.
 */
class TransparentProxyDnsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String OUTSIDE_NAME = "outside.example.";
    private static final String OUTSIDE_ADDRESS = "192.0.2.7";

    @TempDir
    Path tmp;

    @Test
    void ursaDpAnswersAServiceOfTheMeshWithItsVipAndForwardsOtherNames() throws Exception {
        try (CpProcess cp = CpProcess.start(tmp.resolve("store"), Path.of("target", "e2e-logs"), Map.of());
             Upstream upstream = Upstream.start()) {
            Ursactl ctl = new Ursactl(tmp.resolve("ursactl.yaml"));
            assertOk(ctl.run(null, "config", "control-planes", "add", "--name", "e2e", "--address", cp.apiUrl()));
            assertOk(ctl.run("""
                    type: Dataplane
                    mesh: default
                    name: backend-1
                    networking:
                      address: 127.0.0.2
                      inbound:
                      - port: 9090
                        tags: {kuma.io/service: backend, kuma.io/protocol: http}
                    """, "apply", "-f", "-"));
            Ursactl.Result token = ctl.run(null, "generate", "dataplane-token", "--mesh", "default", "--name", "web-1");
            assertOk(token);
            Path tokenFile = Files.writeString(tmp.resolve("token"), token.out());
            Path definition = Files.writeString(tmp.resolve("web.yaml"), """
                    type: Dataplane
                    mesh: default
                    name: web-1
                    networking:
                      address: 127.0.0.1
                      inbound:
                      - port: 18080
                        servicePort: 8080
                        tags: {kuma.io/service: web, kuma.io/protocol: http}
                      transparentProxying:
                        redirectPortInbound: 15006
                        redirectPortOutbound: 15001
                    """);
            int dnsPort = freePort();
            Process dp = startDp(cp, "--dataplane-file", definition.toString(), "--dataplane-token-file",
                    tokenFile.toString(), "--config-dir", Files.createDirectories(tmp.resolve("envoy")).toString(),
                    "--dns-coredns-port", Integer.toString(dnsPort), "--dns-envoy-port", Integer.toString(freePort()),
                    "--dns-coredns-empty-port", Integer.toString(freePort()),
                    "--dns-upstream", "127.0.0.1:" + upstream.port());
            try {
                SimpleResolver resolver = new SimpleResolver(InetAddress.getLoopbackAddress());
                resolver.setPort(dnsPort);
                resolver.setTimeout(Duration.ofSeconds(2));
                String vip = await().atMost(WAIT).ignoreExceptions().until(
                        () -> vipInTable(cp, "backend.mesh").orElse(null), v -> v != null);
                assertThat(vip).startsWith("24");

                List<String> answers = await().atMost(WAIT).ignoreExceptions().until(
                        () -> aRecords(resolver, "backend.mesh."), a -> !a.isEmpty());

                assertThat(answers).as("ursa-dp said:\n" + read(tmp.resolve("ursa-dp.log"))).containsExactly(vip);
                assertThat(aRecords(resolver, "BACKEND.mesh.")).as("names are case-insensitive").containsExactly(vip);
                assertThat(aRecords(resolver, OUTSIDE_NAME)).as("a name outside the mesh goes to the upstream")
                        .containsExactly(OUTSIDE_ADDRESS);
            } finally {
                dp.destroy();
                assertThat(dp.waitFor(30, TimeUnit.SECONDS)).as("ursa-dp exits after SIGTERM").isTrue();
            }
        }
    }

    /** The VIP the control plane put into web-1's {@code kuma:dns} listener for {@code name}, once it did. */
    private static Optional<String> vipInTable(CpProcess cp, String name) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(cp.apiUrl() + "/meshes/default/dataplanes/web-1/xds")).build(),
                HttpResponse.BodyHandlers.ofString());
        for (JsonNode resource : JSON.readTree(response.body()).path("resources")) {
            if (!resource.path("name").asText().equals("kuma:dns")) {
                continue;
            }
            for (JsonNode domain : resource.findValues("virtualDomains").get(0)) {
                if (domain.path("name").asText().equals(name)) {
                    return Optional.of(domain.at("/endpoint/addressList/address/0").asText());
                }
            }
        }
        return Optional.empty();
    }

    private static List<String> aRecords(SimpleResolver resolver, String name) throws IOException {
        Message query = Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN));
        Message answer = resolver.send(query);
        List<String> addresses = new ArrayList<>();
        for (Record record : answer.getSection(Section.ANSWER)) {
            if (record instanceof ARecord a) {
                addresses.add(a.getAddress().getHostAddress());
            }
        }
        return addresses;
    }

    private Process startDp(CpProcess cp, String... args) throws IOException, InterruptedException {
        return DpProcess.start(tmp, cp, "ursa-dp", args);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }

    private static void assertOk(Ursactl.Result result) {
        assertThat(result.exitCode()).as(result.toString()).isZero();
    }

    /** The resolver of the host in this test: answers {@value #OUTSIDE_NAME} over UDP, NXDOMAIN for the rest. */
    private static final class Upstream implements AutoCloseable {
        private final DatagramSocket socket;

        private Upstream(DatagramSocket socket) {
            this.socket = socket;
            Thread thread = new Thread(this::serve, "test-upstream-dns");
            thread.setDaemon(true);
            thread.start();
        }

        static Upstream start() throws SocketException {
            return new Upstream(new DatagramSocket(0, InetAddress.getLoopbackAddress()));
        }

        int port() {
            return socket.getLocalPort();
        }

        private void serve() {
            byte[] buffer = new byte[512];
            while (!socket.isClosed()) {
                try {
                    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                    socket.receive(packet);
                    Message query = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                    Message reply = new Message(query.getHeader().getID());
                    reply.getHeader().setFlag(Flags.QR);
                    reply.addRecord(query.getQuestion(), Section.QUESTION);
                    if (query.getQuestion().getName().toString().equalsIgnoreCase(OUTSIDE_NAME)) {
                        reply.addRecord(new ARecord(query.getQuestion().getName(), DClass.IN, 60,
                                InetAddress.getByName(OUTSIDE_ADDRESS)), Section.ANSWER);
                    } else {
                        reply.getHeader().setRcode(Rcode.NXDOMAIN);
                    }
                    byte[] wire = reply.toWire();
                    socket.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
                } catch (IOException e) {
                    if (socket.isClosed()) {
                        return;
                    }
                }
            }
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
