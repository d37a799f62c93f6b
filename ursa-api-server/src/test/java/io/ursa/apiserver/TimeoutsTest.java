package io.ursa.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Slow clients are cut: a request whose headers never finish, a client that connects and says nothing, a body
 * that never finishes. Each test waits for the server to close the connection (a read that ends); none measures
 * time. The header and body timeouts are short so the tests are quick; the idle timeout is longer than the test
 * socket's read timeout, so only the deadline under test can end the read, and the test fails if it does not.
 */
class TimeoutsTest {
    private static final ApiServerConfig.Timeouts SHORT =
            new ApiServerConfig.Timeouts(Duration.ofMillis(300), Duration.ofMillis(300), Duration.ofMinutes(10));

    private TestServer api;

    @BeforeEach
    void startServer() {
        api = TestServer.start(ApiServerConfig.defaults().withTimeouts(SHORT), DataplaneInsights.none());
        api.seed(Fixtures.MESH_DEMO);
    }

    @AfterEach
    void stopServer() {
        api.close();
    }

    @Test
    void headersThatNeverFinishAreCut() {
        try (RawHttp slow = RawHttp.connect(api.server.port())) {
            slow.send("GET /meshes HTTP/1.1\r\nHost: localhost\r\nX-Slow: ");

            assertThat(slow.readToEnd()).as("closed without an answer").isEmpty();
        }
    }

    @Test
    void aClientThatSendsNothingIsCut() {
        try (RawHttp silent = RawHttp.connect(api.server.port())) {
            assertThat(silent.readToEnd()).isEmpty();
        }
    }

    @Test
    void aBodyThatNeverFinishesIsCut() {
        try (RawHttp slow = RawHttp.connect(api.server.port())) {
            slow.send("PUT /meshes/demo/traffic-logs/x HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"type\":");

            String answer = slow.readToEnd();

            assertThat(answer.isEmpty() || answer.startsWith("HTTP/1.1 408")).as(answer).isTrue();
        }
        assertThat(api.get("/meshes/demo/traffic-logs/x").status()).as("nothing was written").isEqualTo(404);
    }

    @Test
    void aPromptClientIsServedOnAKeptAliveConnectionUntilItsNextRequestStalls() {
        ApiServerConfig.Timeouts generous = new ApiServerConfig.Timeouts(Duration.ofSeconds(5),
                Duration.ofSeconds(10), Duration.ofMinutes(10));
        try (TestServer prompt = TestServer.start(ApiServerConfig.defaults().withTimeouts(generous),
                DataplaneInsights.none());
             RawHttp client = RawHttp.connect(prompt.server.port())) {
            client.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
            client.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
            client.send("GET / HTTP/1.1\r\nHost: localhost\r\nX-Stalled: ");

            String answers = client.readToEnd();

            assertThat(answers.split("HTTP/1.1 200 ", -1)).as("two answers, then the stalled request is cut")
                    .hasSize(3);
        }
    }
}
