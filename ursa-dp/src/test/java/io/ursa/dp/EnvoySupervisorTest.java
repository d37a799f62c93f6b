package io.ursa.dp;

import static io.ursa.dp.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvoySupervisorTest {
    private static final RestartPolicy QUICK =
            new RestartPolicy(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(10), 5);

    @TempDir
    Path dir;

    private final TestEnvironment env = new TestEnvironment();
    private final List<EnvoySupervisor> supervisors = new ArrayList<>();

    @AfterEach
    void stopAll() throws InterruptedException {
        for (EnvoySupervisor supervisor : supervisors) {
            supervisor.stop();
        }
    }

    @Test
    void startsEnvoyWithTheBootstrapAndKumaDpsArguments() throws Exception {
        FakeEnvoy envoy = FakeEnvoy.create(dir, "envoy", 0, FakeEnvoy.OnTerm.EXIT);
        Path bootstrap = dir.resolve("bootstrap.yaml");

        supervisor(new EnvoyLaunch(envoy.binary(), bootstrap, Duration.ofSeconds(30), 0, "info", "linux"), QUICK)
                .start();

        await().until(envoy::isRunning);
        assertThat(envoy.starts()).containsExactly(List.of("-c", bootstrap.toString(), "--drain-time-s", "30",
                "--disable-hot-restart", "--log-level", "info", "--cpuset-threads"));
    }

    @Test
    void passesAnExplicitConcurrency() throws Exception {
        FakeEnvoy envoy = FakeEnvoy.create(dir, "envoy", 0, FakeEnvoy.OnTerm.EXIT);

        supervisor(new EnvoyLaunch(envoy.binary(), dir.resolve("b.yaml"), Duration.ofMillis(1500), 4, "debug",
                "linux"), QUICK).start();

        await().until(envoy::isRunning);
        assertThat(envoy.starts().get(0)).containsSequence("--drain-time-s", "1")
                .containsSequence("--log-level", "debug")
                .containsSequence("--concurrency", "4")
                .doesNotContain("--cpuset-threads");
    }

    @Test
    void forwardsSigtermOnStopAndEndsCleanly() throws Exception {
        FakeEnvoy envoy = FakeEnvoy.create(dir, "envoy", 0, FakeEnvoy.OnTerm.EXIT);
        EnvoySupervisor supervisor = running(envoy, Duration.ofSeconds(30));

        EnvoySupervisor.Outcome outcome = supervisor.stop();

        assertThat(outcome).isEqualTo(EnvoySupervisor.Outcome.STOPPED);
        assertThat(envoy.wasTerminated()).isTrue();
        assertThat(supervisor.awaitExit()).isEqualTo(EnvoySupervisor.Outcome.STOPPED);
        assertThat(envoy.starts()).hasSize(1);
        assertThat(env.err()).contains("sent SIGTERM, waiting up to 30s for it to exit");
    }

    @Test
    void killsAnEnvoyThatOutlivesTheDrainTime() throws Exception {
        FakeEnvoy envoy = FakeEnvoy.create(dir, "envoy", 0, FakeEnvoy.OnTerm.IGNORE);
        EnvoySupervisor supervisor = running(envoy, Duration.ofMillis(300));

        assertThat(supervisor.stop()).isEqualTo(EnvoySupervisor.Outcome.KILLED);
        assertThat(envoy.wasTerminated()).isFalse();
        assertThat(env.err()).contains("Envoy did not exit within the drain time (300ms); killing it");
    }

    @Test
    void restartsEnvoyThatCrashesWithAGrowingBackoff() throws Exception {
        FakeEnvoy envoy = FakeEnvoy.create(dir, "envoy", 2, FakeEnvoy.OnTerm.EXIT);

        EnvoySupervisor supervisor = running(envoy, Duration.ofSeconds(30));

        assertThat(envoy.starts()).hasSize(3);
        assertThat(env.time.sleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertThat(env.err()).contains("Envoy exited unexpectedly with code 3 after 0ms; restarting it in 1s "
                + "(fast failure 1 of 5 allowed)");
        assertThat(supervisor.stop()).isEqualTo(EnvoySupervisor.Outcome.STOPPED);
    }

    @Test
    void givesUpAfterRepeatedFastFailures() throws Exception {
        FakeEnvoy envoy = FakeEnvoy.create(dir, "envoy", 100, FakeEnvoy.OnTerm.EXIT);
        EnvoySupervisor supervisor = supervisor(launch(envoy, Duration.ofSeconds(30)),
                new RestartPolicy(Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofSeconds(10), 4));

        supervisor.start();

        assertThat(supervisor.awaitExit()).isEqualTo(EnvoySupervisor.Outcome.GAVE_UP);
        assertThat(envoy.starts()).hasSize(4);
        assertThat(env.time.sleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ofSeconds(3));
        assertThat(supervisor.failure()).isEqualTo("Envoy exited 4 times in a row within 10s of starting (last exit "
                + "code 3); giving up. Envoy's own output above says why");
        assertThat(supervisor.stop()).isEqualTo(EnvoySupervisor.Outcome.GAVE_UP);
    }

    @Test
    void reportsABinaryThatCannotBeStarted() {
        EnvoySupervisor supervisor = supervisor(new EnvoyLaunch(dir.resolve("missing"), dir.resolve("b.yaml"),
                Duration.ofSeconds(1), 0, "info", "linux"), QUICK);

        assertThatThrownBy(supervisor::start)
                .isInstanceOf(DpException.class)
                .hasMessageStartingWith("could not start Envoy (" + dir.resolve("missing") + "): ");
    }

    private static EnvoyLaunch launch(FakeEnvoy envoy, Duration drainTime) {
        return new EnvoyLaunch(envoy.binary(), envoy.dir().resolve("bootstrap.yaml"), drainTime, 0, "info", "linux");
    }

    /** A started supervisor, once its Envoy is up (past any crashes it was scripted to have). */
    private EnvoySupervisor running(FakeEnvoy envoy, Duration drainTime) {
        EnvoySupervisor supervisor = supervisor(launch(envoy, drainTime), QUICK);
        supervisor.start();
        await().until(envoy::isRunning);
        return supervisor;
    }

    private EnvoySupervisor supervisor(EnvoyLaunch launch, RestartPolicy policy) {
        EnvoySupervisor supervisor = new EnvoySupervisor(launch, policy, env.time, env.time, env.log());
        supervisors.add(supervisor);
        return supervisor;
    }

}
