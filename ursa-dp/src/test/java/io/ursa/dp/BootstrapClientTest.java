package io.ursa.dp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.ursa.api.codec.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BootstrapClientTest {
    private static final EnvoyVersion ENVOY = EnvoyVersion.parse(FakeEnvoy.VERSION_OUTPUT).orElseThrow();
    private static final String DATAPLANE_JSON = "{\"type\":\"Dataplane\",\"mesh\":\"demo\",\"name\":\"backend-1\","
            + "\"creationTime\":\"0001-01-01T00:00:00Z\",\"modificationTime\":\"0001-01-01T00:00:00Z\"}";

    private final TestEnvironment env = new TestEnvironment();
    private final StopSignal stop = new StopSignal();
    private FakeControlPlane cp;

    @BeforeEach
    void startControlPlane() throws IOException {
        cp = FakeControlPlane.start();
    }

    @AfterEach
    void stopControlPlane() {
        cp.close();
    }

    @Test
    void postsKumasBootstrapRequestAndDecodesTheBootstrap() throws Exception {
        BootstrapRequest request = new BootstrapRequest("demo", "backend-1", ProxyType.DATAPLANE,
                Optional.of("a.b.c"), Optional.of("/tmp/token"), Optional.of(DATAPLANE_JSON), TestEnvironment.BUILD,
                ENVOY, "", "linux", 1024, Optional.of(new BootstrapRequest.DnsPorts(15054, 15055)));

        Optional<BootstrapResponse> response = client(cp.address(), RetryPolicy.DEFAULT).fetch(request);

        assertThat(response).isPresent();
        assertThat(response.get().bootstrapYaml()).isEqualTo(FakeControlPlane.BOOTSTRAP_YAML);
        assertThat(response.get().adminPort()).hasValue(9901);
        assertThat(cp.requests()).hasSize(1);
        FakeControlPlane.Request sent = cp.requests().get(0);
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.path()).isEqualTo("/bootstrap");
        assertThat(sent.accept()).isEqualTo("application/json");
        assertThat(sent.contentType()).isEqualTo("application/json");
        // Kuma's BootstrapRequest, field for field and in Kuma's order (kuma-dp remote_bootstrap_test.go)
        JsonNode expected = Json.json().readTree("""
                {
                  "mesh": "demo",
                  "name": "backend-1",
                  "proxyType": "dataplane",
                  "dataplaneToken": "a.b.c",
                  "dataplaneTokenPath": "/tmp/token",
                  "dataplaneResource": "%s",
                  "version": {
                    "kumaDp": {
                      "version": "0.0.1",
                      "gitTag": "v0.0.1",
                      "gitCommit": "91ce236824a9d875601679aa80c63783fb0e8725",
                      "buildDate": "2019-08-07T11:26:06Z"
                    },
                    "envoy": {
                      "version": "1.24.2",
                      "build": "50ef0945fa2c5da4bff7627c3abf41fdd3b7cffd/1.24.2/Clean/RELEASE/BoringSSL",
                      "kumaDpCompatible": true
                    }
                  },
                  "caCert": "",
                  "dynamicMetadata": {},
                  "dnsPort": 15054,
                  "emptyDnsPort": 15055,
                  "operatingSystem": "linux",
                  "features": [],
                  "resources": {"maxHeapSizeBytes": 1024}
                }""".formatted(DATAPLANE_JSON.replace("\"", "\\\"")));
        assertThat(sent.json()).isEqualTo(expected);
        assertThat(fieldNames(sent.json())).containsExactlyElementsOf(fieldNames(expected));
    }

    @Test
    void leavesOutTheTokenAndResourceWhenThereAreNone() throws Exception {
        client(cp.address(), RetryPolicy.DEFAULT).fetch(request());

        JsonNode sent = cp.requests().get(0).json();
        assertThat(sent.has("dataplaneToken")).isFalse();
        assertThat(sent.has("dataplaneTokenPath")).isFalse();
        assertThat(sent.has("dataplaneResource")).isFalse();
        assertThat(sent.has("dnsPort")).isFalse();
        assertThat(sent.has("emptyDnsPort")).isFalse();
        assertThat(sent.path("proxyType").asText()).isEqualTo("dataplane");
    }

    @Test
    void retriesWhileTheDataplaneIsNotFoundYet() throws Exception {
        cp.thenAnswer(404, "").thenAnswer(404, "");

        Optional<BootstrapResponse> response = client(cp.address(), RetryPolicy.DEFAULT).fetch(request());

        assertThat(response).isPresent();
        assertThat(cp.requests()).hasSize(3);
        assertThat(env.time.sleeps()).containsExactly(Duration.ofSeconds(3), Duration.ofSeconds(3));
        assertThat(env.err()).contains("the control plane at " + cp.address() + " does not know this Dataplane yet;"
                + " retrying in 3s");
    }

    @Test
    void retriesServerErrors() throws Exception {
        cp.thenAnswer(503, "starting up");

        assertThat(client(cp.address(), RetryPolicy.DEFAULT).fetch(request())).isPresent();
        assertThat(cp.requests()).hasSize(2);
        assertThat(env.err()).contains("the control plane at " + cp.address() + " answered HTTP 503 (starting up);"
                + " retrying in 3s");
    }

    @Test
    void failsAtOnceWhenTheMeshDoesNotExist() {
        cp.thenAnswer(422, "mesh: mesh \"demo\" does not exist");

        assertThatThrownBy(() -> client(cp.address(), RetryPolicy.DEFAULT).fetch(request()))
                .isInstanceOf(DpException.class)
                .hasMessage("the control plane at " + cp.address() + " rejected the bootstrap request (HTTP 422): "
                        + "mesh: mesh \"demo\" does not exist");
        assertThat(cp.requests()).hasSize(1);
    }

    @Test
    void flattensAKumaErrorJson() {
        cp.thenAnswer(400, "{\"title\":\"Resource is not valid\",\"details\":\"Resource is not valid\","
                + "\"causes\":[{\"field\":\"mesh\",\"message\":\"mesh \\\"demo\\\" does not exist\"}]}");

        assertThatThrownBy(() -> client(cp.address(), RetryPolicy.DEFAULT).fetch(request()))
                .hasMessageEndingWith("(HTTP 400): Resource is not valid; Resource is not valid; "
                        + "mesh: mesh \"demo\" does not exist");
    }

    @Test
    void hintsAtThePortWhenThereIsNoBootstrapEndpoint() {
        cp.thenAnswer(404, "404: Page Not Found");

        assertThatThrownBy(() -> client(cp.address(), RetryPolicy.DEFAULT).fetch(request()))
                .isInstanceOf(DpException.class)
                .hasMessageContaining("there is no /bootstrap endpoint at " + cp.address())
                .hasMessageContaining("DP server (port 5678 by default), not at its HTTP API (port 5681 by default)");
        assertThat(cp.requests()).hasSize(1);
    }

    @Test
    void givesUpOnAnUnreachableControlPlaneAfterTheMaxDurationNamingTheAddress() throws Exception {
        String address = "http://127.0.0.1:" + freePort();

        assertThatThrownBy(() -> client(address, new RetryPolicy(Duration.ofSeconds(3), Duration.ofSeconds(10)))
                .fetch(request()))
                .isInstanceOf(DpException.class)
                .hasMessageStartingWith("could not reach the control plane at " + address
                        + " (last error: connection refused)")
                .hasMessageContaining("gave up after 5 attempts in 10s");
        // attempts at 0s, 3s, 6s, 9s and 10s: the last wait is cut to what is left of the 10s
        assertThat(env.time.sleeps()).containsExactly(Duration.ofSeconds(3), Duration.ofSeconds(3),
                Duration.ofSeconds(3), Duration.ofSeconds(1));
        assertThat(env.err()).contains("(attempt 5)").contains("could not connect to the control plane at " + address + " (connection refused)");
    }

    @Test
    void givesUpWhenTheDataplaneNeverShowsUp() {
        for (int i = 0; i < 3; i++) {
            cp.thenAnswer(404, "");
        }

        assertThatThrownBy(() -> client(cp.address(), new RetryPolicy(Duration.ofSeconds(3), Duration.ofSeconds(6)))
                .fetch(request()))
                .hasMessageContaining("does not know this Dataplane")
                .hasMessageContaining("--dataplane-file");
    }

    @Test
    void stopsRetryingWhenAskedToStop() throws Exception {
        cp.thenAnswer(404, "");
        stop.request();

        assertThat(client(cp.address(), RetryPolicy.DEFAULT).fetch(request())).isEmpty();
    }

    @Test
    void refusesA200WithoutABootstrap() {
        cp.thenAnswer(200, "{\"kumaSidecarConfiguration\":{}}");

        assertThatThrownBy(() -> client(cp.address(), RetryPolicy.DEFAULT).fetch(request()))
                .hasMessageStartingWith("the control plane answered the bootstrap request with 200 but \"bootstrap\" "
                        + "is missing or empty");
    }

    @Test
    void movesToTheNextInstanceWhenTheFirstRefusesTheConnection() throws Exception {
        String dead = "http://127.0.0.1:" + freePort();

        Optional<BootstrapResponse> response = client(List.of(dead, cp.address()), 0, RetryPolicy.DEFAULT)
                .fetch(request());

        assertThat(response).isPresent();
        assertThat(cp.requests()).hasSize(1);
        assertThat(env.time.sleeps()).isEmpty(); // the next instance at once
        assertThat(env.err()).contains("could not connect to the control plane at " + dead
                        + " (connection refused); trying the next control plane instance")
                .contains("the control plane instance at " + cp.address() + " answered");
    }

    @Test
    void movesToTheNextInstanceWhenTheFirstAnswers503() throws Exception {
        try (FakeControlPlane second = FakeControlPlane.start()) {
            cp.thenAnswer(503, "overloaded");

            assertThat(client(List.of(cp.address(), second.address()), 0, RetryPolicy.DEFAULT).fetch(request()))
                    .isPresent();

            assertThat(cp.requests()).hasSize(1);
            assertThat(second.requests()).hasSize(1);
            assertThat(env.time.sleeps()).isEmpty();
            assertThat(env.err()).contains("the control plane at " + cp.address() + " answered HTTP 503 (overloaded);"
                    + " trying the next control plane instance");
        }
    }

    @Test
    void waitsTheBackOffOnlyOnceEveryInstanceFailedAndStartsTheNextRoundAtTheSameInstance() throws Exception {
        try (FakeControlPlane second = FakeControlPlane.start()) {
            cp.thenAnswer(503, "starting up");
            second.thenAnswer(503, "starting up");

            assertThat(client(List.of(cp.address(), second.address()), 0, RetryPolicy.DEFAULT).fetch(request()))
                    .isPresent();

            assertThat(env.time.sleeps()).containsExactly(Duration.ofSeconds(3));
            assertThat(cp.requests()).hasSize(2);
            assertThat(second.requests()).hasSize(1);
            assertThat(env.err()).contains("(and every other instance failed too); retrying in 3s");
        }
    }

    @Test
    void aRefusalFromAnInstanceEndsItAtOnceWithoutAskingTheOthers() throws Exception {
        try (FakeControlPlane second = FakeControlPlane.start()) {
            cp.thenAnswer(401, "the token is not valid");

            assertThatThrownBy(() -> client(List.of(cp.address(), second.address()), 0, RetryPolicy.DEFAULT)
                    .fetch(request()))
                    .isInstanceOf(DpException.class)
                    .hasMessage("the control plane at " + cp.address() + " rejected the bootstrap request (HTTP 401):"
                            + " the token is not valid");
            assertThat(second.requests()).isEmpty();
            assertThat(env.time.sleeps()).isEmpty();
        }
    }

    @Test
    void aNotFoundWithABodyFromAnInstanceEndsItAtOnceToo() throws Exception {
        try (FakeControlPlane second = FakeControlPlane.start()) {
            cp.thenAnswer(404, "404 page not found");

            assertThatThrownBy(() -> client(List.of(cp.address(), second.address()), 0, RetryPolicy.DEFAULT)
                    .fetch(request()))
                    .hasMessageStartingWith("there is no /bootstrap endpoint at " + cp.address());
            assertThat(second.requests()).isEmpty();
        }
    }

    @Test
    void startsAtTheInstanceItIsGiven() throws Exception {
        try (FakeControlPlane second = FakeControlPlane.start()) {
            assertThat(client(List.of(cp.address(), second.address()), 1, RetryPolicy.DEFAULT).fetch(request()))
                    .isPresent();

            assertThat(second.requests()).hasSize(1);
            assertThat(cp.requests()).isEmpty();
        }
    }

    @Test
    void givingUpNamesEveryInstance() throws Exception {
        String dead1 = "http://127.0.0.1:" + freePort();
        String dead2 = "http://127.0.0.1:" + freePort();

        assertThatThrownBy(() -> client(List.of(dead1, dead2), 0,
                new RetryPolicy(Duration.ofSeconds(3), Duration.ofSeconds(5))).fetch(request()))
                .hasMessageStartingWith("could not reach the control plane at " + dead1 + ", " + dead2
                        + " (last error: connection refused)")
                .hasMessageContaining("gave up after 6 attempts in 5s");
        assertThat(env.time.sleeps()).containsExactly(Duration.ofSeconds(3), Duration.ofSeconds(2));
    }

    @Test
    void tellsTheControlPlaneEveryInstanceWhenThereAreSeveral() throws Exception {
        BootstrapRequest request = request().withControlPlaneAddresses(List.of("https://cp-1:5678",
                "https://10.0.0.2:5678"));

        client(cp.address(), RetryPolicy.DEFAULT).fetch(request);

        JsonNode sent = cp.requests().get(0).json();
        assertThat(sent.path("controlPlaneAddresses")).isEqualTo(Json.json().readTree(
                "[\"https://cp-1:5678\", \"https://10.0.0.2:5678\"]"));
        assertThat(fieldNames(sent)).endsWith("resources", "controlPlaneAddresses");
        // one instance: Kuma's body, without the field
        assertThat(request().withControlPlaneAddresses(List.of("https://cp-1:5678")).toJson()
                .has("controlPlaneAddresses")).isFalse();
    }

    private BootstrapClient client(List<String> addresses, int first, RetryPolicy retry) {
        List<ControlPlaneAddress> parsed = addresses.stream()
                .map(address -> new ControlPlaneAddress(URI.create(address), Optional.empty())).toList();
        return new BootstrapClient(new ControlPlanes(parsed), first, retry, env.time, env.time, stop, env.log());
    }

    private BootstrapClient client(String address, RetryPolicy retry) {
        return new BootstrapClient(new ControlPlaneAddress(URI.create(address), Optional.empty()), retry, env.time,
                env.time, stop, env.log());
    }

    private static BootstrapRequest request() {
        return new BootstrapRequest("demo", "backend-1", ProxyType.DATAPLANE, Optional.empty(), Optional.empty(),
                Optional.empty(), TestEnvironment.BUILD, ENVOY, "", "linux", 0, Optional.empty());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The field names of a JSON object, in order. */
    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
