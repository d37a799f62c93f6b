package io.ursa.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A proxyless gRPC client that restarts during a rolling deploy, right after a routing change, comes back within the
 * Dataplane deregistration delay: its Dataplane is still registered, and the control plane still holds the
 * configuration it last served it. When the change renamed the clients' clusters ({@code echo} to
 * {@code echo-_0_}/{@code echo-_1_} for a split, and back when the split goes), the restarted client must get its
 * new configuration at once, not after grpc-xds's 15 s resource fetch timeout.
 *
 * <p>Its own control plane: the deregistration delay is long enough for every reconnect here to fall within it,
 * and the periodic resync (which drops the configuration of proxies that left) does not run during the test, so
 * each reconnect finds the configuration its client was last served.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProxylessReconnectTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** The deadline of the calls: well under grpc-xds's 15 s initial resource fetch timeout. */
    private static final Duration FIRST_CALL = Duration.ofSeconds(5);
    private static final String MESH = "reconnect";

    private CpProcess cp;
    private CpApi api;
    private Ursactl ctl;
    private ProxylessApps apps;

    @RegisterExtension
    final CpLogOnFailure cpLog = new CpLogOnFailure(() -> cp);

    @BeforeAll
    void startControlPlane(@TempDir Path dir) throws Exception {
        cp = CpProcess.start(dir.resolve("store"), Path.of("target", "e2e-logs"), Map.of(
                "URSA_STORE_TYPE", "memory",
                "URSA_XDS_SERVER_DATAPLANE_DEREGISTRATION_DELAY", "5m",
                "URSA_XDS_SERVER_RESYNC_INTERVAL", "10m"));
        api = new CpApi(cp.apiUrl());
        ctl = new Ursactl(dir.resolve("ursactl.yaml"));
        ursactl(null, "config", "control-planes", "add", "--name", "e2e", "--address", cp.apiUrl());
        ursactl("type: Mesh\nname: " + MESH, "apply", "-f", "-");
        apps = new ProxylessApps(cp, ctl, dir.resolve("apps"));
        apps.tokens(MESH);
    }

    @AfterEach
    void stopApps() throws InterruptedException {
        if (apps != null) {
            apps.stopAll();
        }
    }

    @AfterAll
    void stopControlPlane() throws Exception {
        try {
            if (apps != null) {
                apps.close();
            }
        } finally {
            if (cp != null) {
                cp.close();
            }
        }
    }

    @Test
    void aClientThatReconnectsAfterItsClustersWereRenamedGetsItsConfigurationAtOnce() throws Exception {
        App v1 = App.server(MESH, "echo-v1", "echo", "v1");
        App v2 = App.server(MESH, "echo-v2", "echo", "v2");
        App caller = App.client(MESH, "caller");
        apps.prepare(v1, v2, caller);
        apps.serve(v1);
        apps.serve(v2);

        // route-all: one cluster, echo
        runUntilBothAnswered(caller, v1, v2);
        awaitDisconnected(caller);
        ursactl(split(50, 50), "apply", "-f", "-"); // echo-_0_ and echo-_1_
        assertThat(firstCallOfARestartedClient(caller)).as("the first call after the split")
                .isIn(v1.instance(), v2.instance());

        // and back: the split is deleted, the clusters are echo again
        runUntilBothAnswered(caller, v1, v2);
        awaitDisconnected(caller);
        ursactl(null, "delete", "traffic-route", "caller-to-echo", "--mesh", MESH);
        assertThat(firstCallOfARestartedClient(caller)).as("the first call after the split was deleted")
                .isIn(v1.instance(), v2.instance());
    }

    /** Starts {@code caller} and calls until both instances answered; then stops it (its ADS stream ends). */
    private void runUntilBothAnswered(App caller, App v1, App v2) throws InterruptedException {
        ManagedChannel channel = apps.channel(caller, "echo");
        Map<String, Long> answers = new TreeMap<>();
        await().atMost(WAIT).untilAsserted(() -> {
            WhoAmI.count(channel, 10).forEach((instance, count) -> answers.merge(instance, count, Long::sum));
            assertThat(answers.keySet()).as("instances that answered").contains(v1.instance(), v2.instance());
        });
        channel.shutdownNow();
        assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).as("the caller's channel stopped").isTrue();
    }

    /** The control plane saw the caller's stream close, and still holds its Dataplane. */
    private void awaitDisconnected(App caller) {
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode overview = api.get("/meshes/" + MESH + "/dataplanes+insights/" + caller.name())
                    .orElseThrow(() -> new AssertionError("Dataplane " + caller.instance() + " was deregistered"));
            JsonNode subscriptions = overview.path("dataplaneInsight").path("subscriptions");
            assertThat(subscriptions.isEmpty()).as("subscriptions of %s", caller.instance()).isFalse();
            assertThat(subscriptions.get(subscriptions.size() - 1).has("disconnectTime"))
                    .as("the last subscription of %s has ended: %s", caller.instance(), subscriptions).isTrue();
        });
    }

    /**
     * Starts {@code caller} again, as a new process would: the instance that answered its first call, made at the
     * issue's deadline. The caller is stopped again afterwards.
     */
    private String firstCallOfARestartedClient(App caller) throws InterruptedException {
        ManagedChannel channel = apps.channel(caller, "echo");
        try {
            return WhoAmI.call(channel, FIRST_CALL);
        } finally {
            channel.shutdownNow();
            channel.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** A TrafficRoute from caller to echo that splits between versions v1 and v2 with these weights. */
    private static String split(int weightV1, int weightV2) {
        return """
                type: TrafficRoute
                mesh: %s
                name: caller-to-echo
                sources: [{match: {kuma.io/service: caller}}]
                destinations: [{match: {kuma.io/service: echo}}]
                conf:
                  split:
                  - {weight: %d, destination: {kuma.io/service: echo, version: v1}}
                  - {weight: %d, destination: {kuma.io/service: echo, version: v2}}
                """.formatted(MESH, weightV1, weightV2);
    }

    private void ursactl(String stdin, String... args) throws Exception {
        Ursactl.Result result = ctl.run(stdin, args);
        assertThat(result.exitCode()).as("ursactl %s; stdout:\n%s\nstderr:\n%s", String.join(" ", args),
                result.out(), result.err()).isZero();
    }
}
