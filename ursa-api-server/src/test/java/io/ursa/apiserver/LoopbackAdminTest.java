package io.ursa.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A loopback caller is the admin only when the request is really from this host's own tools: loopback address,
 * loopback {@code Host}, and no other web page's {@code Origin}. The rule as a table, then through real requests.
 */
class LoopbackAdminTest {
    private TestServer api;

    @BeforeEach
    void startServer() {
        api = TestServer.start();
        api.seed(Fixtures.MESH_DEMO);
    }

    @AfterEach
    void stopServer() {
        api.close();
    }

    static Stream<Arguments> requests() {
        return Stream.of(
                Arguments.of("127.0.0.1", "http", "127.0.0.1:5681", null, true),
                Arguments.of("127.0.0.1", "http", "localhost:5681", null, true),
                Arguments.of("127.0.0.1", "http", "LOCALHOST", null, true),
                Arguments.of("127.0.0.1", "https", "localhost:5682", "https://localhost:5682", true),
                Arguments.of("127.0.0.1", "http", "127.1.2.3:5681", null, true),
                Arguments.of("0:0:0:0:0:0:0:1", "http", "[::1]:5681", "http://[::1]:5681", true),
                Arguments.of("[::1]", "http", "[::1]", null, true),
                // another web page in the operator's browser
                Arguments.of("127.0.0.1", "http", "localhost:5681", "http://evil.example", false),
                Arguments.of("127.0.0.1", "http", "localhost:5681", "null", false),
                Arguments.of("127.0.0.1", "https", "localhost:5681", "http://localhost:5681", false),
                Arguments.of("127.0.0.1", "http", "localhost:5681", "http://localhost:5682", false),
                // DNS rebinding: a name of the attacker's that resolves to 127.0.0.1
                Arguments.of("127.0.0.1", "http", "evil.example:5681", null, false),
                Arguments.of("127.0.0.1", "http", "localhost.evil.example", null, false),
                Arguments.of("127.0.0.1", "http", "127.0.0.1.evil.example", null, false),
                Arguments.of("127.0.0.1", "http", "127.0.0.1:80@evil.example", null, false),
                Arguments.of("127.0.0.1", "http", "[::1].evil.example", null, false),
                Arguments.of("127.0.0.1", "http", "[localhost]", null, false),
                Arguments.of("127.0.0.1", "http", "", null, false),
                Arguments.of("127.0.0.1", "http", null, null, false),
                // not from this host
                Arguments.of("10.0.0.2", "http", "localhost:5681", null, false),
                Arguments.of("192.168.1.1", "http", "127.0.0.1:5681", null, false),
                Arguments.of("", "http", "localhost", null, false),
                Arguments.of("localhost", "http", "localhost", null, false));
    }

    @ParameterizedTest(name = "remote {0} {1} Host {2} Origin {3}: admin {4}")
    @MethodSource("requests")
    void isTheAdminOnlyFromThisHostsOwnTools(String remote, String scheme, String host, String origin,
                                             boolean admin) {
        assertThat(LoopbackAdmin.holds(remote, scheme, host, origin)).isEqualTo(admin);
    }

    @Test
    void aLoopbackRequestFromAnotherWebPageIsNotTheAdmin() {
        String put = Fixtures.trafficLog("demo", "x");

        Reply evil = api.putYaml("/meshes/demo/traffic-logs/x", put, "Origin", "http://evil.example");
        Reply own = api.putYaml("/meshes/demo/traffic-logs/x", put, "Origin", api.address());
        Reply secret = api.get("/meshes/demo/secrets", "Origin", "http://evil.example");

        assertThat(evil.status()).as(evil.toString()).isEqualTo(403);
        assertThat(evil.json().path("details").asText())
                .startsWith("user \"mesh-system:anonymous/mesh-system:unauthenticated\" cannot CREATE TrafficLog");
        assertThat(secret.status()).as(secret.toString()).isEqualTo(403);
        assertThat(own.status()).as("the API's own origin, e.g. its GUI").isEqualTo(201);
    }

    @Test
    void aLoopbackRequestNamingAForeignHostIsNotTheAdmin() {
        int port = api.server.port();
        String body = Fixtures.trafficLogJson("demo", "rebound");
        String request = "PUT /meshes/demo/traffic-logs/rebound HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;

        String rebound = RawHttp.exchange(port, request.formatted("evil.example:" + port));
        String local = RawHttp.exchange(port, request.formatted("localhost:" + port));

        assertThat(rebound).startsWith("HTTP/1.1 403 ").contains("mesh-system:anonymous");
        assertThat(local).startsWith("HTTP/1.1 201 ");
    }

    @Test
    void nobodyIsTheAdminWhenLocalhostIsAdminIsOff() {
        try (TestServer closed = TestServer.start(ApiServerConfig.defaults().withLocalhostIsAdmin(false),
                DataplaneInsights.none())) {
            closed.seed(Fixtures.MESH_DEMO);

            assertThat(closed.putYaml("/meshes/demo/traffic-logs/x", Fixtures.trafficLog("demo", "x")).status())
                    .isEqualTo(403);
            assertThat(closed.get("/meshes/demo/traffic-logs").status()).isEqualTo(200);
        }
    }
}
