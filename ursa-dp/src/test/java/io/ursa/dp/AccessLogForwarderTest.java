package io.ursa.dp;

import static io.ursa.dp.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The forwarder against a real named pipe, written the way Envoy's file access logger writes it, and real TCP. */
class AccessLogForwarderTest {
    @TempDir
    Path dir;

    private final TestEnvironment env = new TestEnvironment();
    private final Logger log = env.log();
    private LogCollector collector;
    private AccessLogForwarder forwarder;

    @BeforeEach
    void setUp() throws Exception {
        collector = LogCollector.start();
        forwarder = AccessLogForwarder.start(AccessLogForwarder.pipe(dir, "web-1", "default"), log);
    }

    @AfterEach
    void tearDown() throws IOException {
        forwarder.close();
        collector.close();
    }

    @Test
    void pipeIsTheOneTheControlPlaneNamesCutToFitASocketPath() {
        assertThat(AccessLogForwarder.pipe(AccessLogForwarder.PIPE_DIR, "web-1", "default"))
                .isEqualTo(Path.of("/tmp/kuma-al-web-1-default.sock"));
        String pipe = AccessLogForwarder.pipe(AccessLogForwarder.PIPE_DIR, "d".repeat(100), "default").toString();
        assertThat(pipe).hasSize(98 + ".sock".length()).startsWith("/tmp/kuma-al-ddd").endsWith("d.sock");
    }

    @Test
    void createsANamedPipeOnlyItsOwnerCanUse() throws IOException {
        PosixFileAttributes attributes = Files.readAttributes(forwarder.pipe(), PosixFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);

        assertThat(attributes.isOther()).as("a FIFO is neither a file, a directory nor a link").isTrue();
        assertThat(attributes.permissions())
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void forwardsEachLineWithoutItsAddressPrefix() throws IOException {
        envoyWrites(collector.address() + ";[2024-01-01T00:00:00.000Z] default web->backend took 3ms\n"
                + collector.address() + ";second; with a semicolon\n");

        await().untilAsserted(() -> assertThat(collector.lines()).containsExactly(
                "[2024-01-01T00:00:00.000Z] default web->backend took 3ms", "second; with a semicolon"));
        assertThat(collector.connections()).isEqualTo(1);
    }

    @Test
    void keepsReadingWhenEnvoyReopensThePipe() throws IOException {
        envoyWrites(collector.address() + ";before\n");
        await().untilAsserted(() -> assertThat(collector.lines()).containsExactly("before"));

        envoyWrites(collector.address() + ";after\n");

        await().untilAsserted(() -> assertThat(collector.lines()).containsExactly("before", "after"));
    }

    @Test
    void sendsEachLineToItsOwnAddress() throws IOException {
        try (LogCollector other = LogCollector.start()) {
            envoyWrites(collector.address() + ";to the first\n" + other.address() + ";to the other\n");

            await().untilAsserted(() -> assertThat(other.lines()).containsExactly("to the other"));
            assertThat(collector.lines()).containsExactly("to the first");
        }
    }

    @Test
    void reconnectsWhenTheCollectorClosesTheConnection() throws IOException {
        envoyWrites(collector.address() + ";one\n");
        await().untilAsserted(() -> assertThat(collector.lines()).containsExactly("one"));

        collector.dropConnections();
        envoyWrites(collector.address() + ";two\n");

        await().untilAsserted(() -> assertThat(collector.lines()).containsExactly("one", "two"));
        assertThat(collector.connections()).isEqualTo(2);
    }

    @Test
    void dropsLinesForAnUnreachableCollectorUntilItIsUpAndKeepsForwardingTheOthers() throws IOException {
        int port = freePort();
        envoyWrites("127.0.0.1:" + port + ";lost\n" + collector.address() + ";delivered\n");
        await().untilAsserted(() -> assertThat(collector.lines()).containsExactly("delivered"));
        assertThat(env.err()).contains("dropping access logs for 127.0.0.1:" + port + " until it can be reached");

        try (LogCollector late = LogCollector.start(port)) {
            envoyWrites("127.0.0.1:" + port + ";now delivered\n");

            await().untilAsserted(() -> assertThat(late.lines()).containsExactly("now delivered"));
        }
    }

    @Test
    void dropsALineWithoutAnAddressAndForwardsTheNextOne() throws IOException {
        envoyWrites("no address here\nlocalhost;no port\n" + collector.address() + ";fine\n");

        await().untilAsserted(() -> assertThat(collector.lines()).containsExactly("fine"));
        assertThat(env.err()).contains("dropped an access log line without a valid <host>:<port>; prefix");
    }

    @Test
    void closeRemovesThePipeAndTheConnections() throws IOException {
        envoyWrites(collector.address() + ";one\n");
        await().untilAsserted(() -> assertThat(collector.lines()).containsExactly("one"));

        forwarder.close();

        assertThat(forwarder.pipe()).doesNotExist();
        await().untilAsserted(() -> assertThat(collector.closedByForwarder()).isEqualTo(1));
    }

    @Test
    void parsesHostPortWithBracketedIpv6AndRejectsTheRest() {
        assertThat(AccessLogForwarder.parseAddress("logstash:5000")).hasValueSatisfying(a -> {
            assertThat(a.getHostString()).isEqualTo("logstash");
            assertThat(a.getPort()).isEqualTo(5000);
        });
        assertThat(AccessLogForwarder.parseAddress("[fd00::1]:514")).hasValueSatisfying(a ->
                assertThat(a.getHostString()).isEqualTo("fd00::1"));
        assertThat(AccessLogForwarder.parseAddress("logstash")).isEmpty();
        assertThat(AccessLogForwarder.parseAddress(":5000")).isEmpty();
        assertThat(AccessLogForwarder.parseAddress("logstash:0")).isEmpty();
        assertThat(AccessLogForwarder.parseAddress("logstash:http")).isEmpty();
    }

    /** What Envoy's file access logger does: open the path for appending, write, close. */
    private void envoyWrites(String text) throws IOException {
        Files.write(forwarder.pipe(), text.getBytes(StandardCharsets.UTF_8), StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
