package io.ursa.bench.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ursa.bench.BenchPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A small run of the scale harness, so it cannot rot: both control planes as real processes, simulated sidecars
 * over ADS, two meshes. What it checks is what makes the harness's figures mean something: the baseline serves
 * exactly Ursa's configuration (same content versions and bytes per proxy), every proxy of the changed mesh ACKs
 * every change, and no proxy of the other mesh is touched.
 */
class ScaleBenchTest {
    private static final ScaleScenario SCENARIO = new ScaleScenario(24, 6, 2, 2, ScaleScenario.Change.TIMEOUT);

    @Test
    void bothControlPlanesServeTheSameConfigurationAndEveryChangeReachesExactlyTheChangedMesh(@TempDir Path dir)
            throws Exception {
        ScaleBench bench = new ScaleBench(SCENARIO, 1, 2, "embedded", "512m", dir, Duration.ofMinutes(2),
                ScaleTransport.of("tls", 4, dir));

        ScaleRun baseline = bench.runBaseline();
        ScaleRun ursa = bench.runUrsa();

        for (ScaleRun run : List.of(baseline, ursa)) {
            assertThat(run.rounds()).as(run.controlPlane()).hasSize(2)
                    .allSatisfy(latencies -> assertThat(latencies).hasSize(SCENARIO.affectedProxies()));
            assertThat(run.unexpectedUpdates()).as(run.controlPlane()).isZero();
            assertThat(run.firstConfigSeconds()).isPositive();
            assertThat(run.cpuSecondsPerChange()).isPositive();
            assertThat(run.heapBytesConnected()).isPositive();
            assertThat(run.versions()).hasSize(SCENARIO.proxies())
                    .allSatisfy(versions -> assertThat(versions.values()).doesNotContain(""));
        }
        assertThat(ScaleTable.identicalProxies(baseline, ursa)).isEqualTo(SCENARIO.proxies());
        assertThat(ursa.firstConfigBytes()).isEqualTo(baseline.firstConfigBytes());
        assertThat(ursa.changeBytes()).isPositive().isEqualTo(baseline.changeBytes());
        assertThat(ScaleTable.render(SCENARIO, List.of(baseline, ursa)))
                .contains("| " + ScaleBench.BASELINE + " |", "| " + ScaleBench.URSA + " |", "| ursa / baseline |");
    }

    /**
     * Every narrower kind of change, in two meshes: the proxies it reaches ACK it, and both control planes send it
     * to exactly those proxies, the same bytes; nothing reaches a proxy of the other mesh or one that does not
     * call the changed service.
     */
    @ParameterizedTest
    @EnumSource(value = ScaleScenario.Change.class, names = {"ENDPOINTS", "ONE_SERVICE", "TRAFFIC_ROUTE"})
    void aChangeReachesExactlyTheProxiesItConcerns(ScaleScenario.Change change, @TempDir Path dir) throws Exception {
        ScaleScenario scenario = new ScaleScenario(24, 6, 2, 2, change);
        ScaleBench bench = new ScaleBench(scenario, 0, 2, "memory", "512m", dir, Duration.ofMinutes(2),
                ScaleTransport.of("plaintext", 8, dir));

        ScaleRun baseline = bench.runBaseline();
        ScaleRun ursa = bench.runUrsa();

        assertThat(scenario.affectedProxies()).as("proxies the change reaches")
                .isPositive().isLessThanOrEqualTo(scenario.proxiesInChangedMesh());
        for (ScaleRun run : List.of(baseline, ursa)) {
            assertThat(run.rounds()).as(run.controlPlane()).hasSize(2)
                    .allSatisfy(latencies -> assertThat(latencies).hasSize(scenario.affectedProxies()));
            assertThat(run.unexpectedUpdates()).as(run.controlPlane()).isZero();
            assertThat(run.proxiesSentPerChange()).as(run.controlPlane() + ": proxies sent to per change")
                    .isEqualTo(scenario.affectedProxies());
        }
        assertThat(ScaleTable.identicalProxies(baseline, ursa)).isEqualTo(scenario.proxies());
        assertThat(ursa.changeBytes()).isPositive().isEqualTo(baseline.changeBytes());
    }

    /**
     * The same changes over incremental (delta) xDS: both control planes send exactly the affected proxies the
     * same bytes, fewer than the state-of-the-world baseline sends for the same change, and serve the same
     * configuration.
     */
    @ParameterizedTest
    @EnumSource(value = ScaleScenario.Change.class, names = {"ENDPOINTS", "ONE_SERVICE", "TIMEOUT"})
    void overDeltaXdsAChangeSendsOnlyWhatChangedToTheProxiesItConcerns(ScaleScenario.Change change,
                                                                       @TempDir Path dir) throws Exception {
        ScaleScenario scenario = new ScaleScenario(24, 6, 2, 2, change);
        ScaleBench bench = new ScaleBench(scenario, 0, 2, "memory", "512m", dir, Duration.ofMinutes(2),
                ScaleTransport.of("plaintext", 8, dir), List.of(XdsProtocol.SOTW, XdsProtocol.DELTA));

        ScaleRun sotw = bench.runBaseline(XdsProtocol.SOTW);
        ScaleRun baseline = bench.runBaseline(XdsProtocol.DELTA);
        ScaleRun ursa = bench.runUrsa("memory", XdsProtocol.DELTA);

        for (ScaleRun run : List.of(baseline, ursa)) {
            assertThat(run.controlPlane()).endsWith("(delta)");
            assertThat(run.rounds()).as(run.controlPlane()).hasSize(2)
                    .allSatisfy(latencies -> assertThat(latencies).hasSize(scenario.affectedProxies()));
            assertThat(run.unexpectedUpdates()).as(run.controlPlane()).isZero();
            assertThat(run.proxiesSentPerChange()).as(run.controlPlane() + ": proxies sent to per change")
                    .isEqualTo(scenario.affectedProxies());
            assertThat(run.changeBytes()).as(run.controlPlane() + ": bytes per change")
                    .isPositive().isLessThan(sotw.changeBytes());
        }
        assertThat(ScaleTable.identicalProxies(baseline, ursa)).isEqualTo(scenario.proxies());
        assertThat(ursa.changeBytes()).isEqualTo(baseline.changeBytes());
        assertThat(ScaleTable.render(scenario, List.of(sotw, baseline, ursa)))
                .contains("| ursa (delta) / baseline (delta) |", "| ursa (delta) / baseline (sotw) |");
    }

    /** The harness's postgres store: its own PostgreSQL server, a migrated database, one change reaching everyone. */
    @Test
    void ursaRunsOnThePostgresStoreOfItsOwnServer(@TempDir Path dir) throws Exception {
        ScaleScenario scenario = new ScaleScenario(8, 4, 1, 2, ScaleScenario.Change.TIMEOUT);
        ScaleBench bench = new ScaleBench(scenario, 0, 1, "postgres", "512m", dir, Duration.ofMinutes(2),
                ScaleTransport.of("plaintext", 4, dir));
        ScaleRun postgres;
        try (BenchPostgres server = BenchPostgres.embedded(dir)) {
            bench.usePostgres(server);
            postgres = bench.runUrsa();
        }

        assertThat(postgres.rounds()).hasSize(1)
                .allSatisfy(latencies -> assertThat(latencies).hasSize(scenario.affectedProxies()));
        assertThat(postgres.unexpectedUpdates()).isZero();
        assertThat(postgres.versions()).hasSize(scenario.proxies())
                .allSatisfy(versions -> assertThat(versions.values()).doesNotContain(""));
        assertThat(postgres.changeBytes()).isPositive();
    }

    @Test
    void scenariosTheHarnessCannotRunAreRefusedWithTheFlagAndTheReason() {
        assertThatThrownBy(() -> new ScaleScenario(10, 4, 2, 2, ScaleScenario.Change.TIMEOUT))
                .hasMessage("invalid --outbounds: 2 (expected: 0 to 1, fewer than the services of one mesh)");
        assertThatThrownBy(() -> new ScaleScenario(10, 1, 2, 0, ScaleScenario.Change.TIMEOUT))
                .hasMessage("invalid --services: 1 (expected: at least --meshes, at most 40000)");
        assertThatThrownBy(() -> ScaleScenario.Change.ofFlag("retry"))
                .hasMessage("invalid --change: retry (expected: timeout, traffic-route, endpoints or one-service)");
        assertThatThrownBy(() -> ScaleTransport.of("mtls", 1, Path.of(".")))
                .hasMessage("invalid --transport: mtls (expected: tls or plaintext)");
        assertThatThrownBy(() -> ScaleTransport.of("plaintext", 0, Path.of(".")))
                .hasMessage("invalid --streams-per-connection: 0 (expected: at least 1)");
        assertThatThrownBy(() -> new ScaleBench(new ScaleScenario(10, 4, 1, 2, ScaleScenario.Change.TIMEOUT), 0, 1,
                "embedded,mysql", "512m", Path.of("."), Duration.ofMinutes(1), ScaleTransport.of("plaintext", 1,
                Path.of("."))))
                .hasMessage("invalid --store: embedded,mysql (expected: embedded, memory or postgres, or several, "
                        + "comma-separated)");
        assertThatThrownBy(() -> XdsProtocol.ofFlag("incremental"))
                .hasMessage("invalid --xds: incremental (expected: sotw, delta, or both comma-separated)");
        assertThatThrownBy(() -> ScaleBench.flags(new String[] {"--proxy", "10"}))
                .hasMessageStartingWith("unknown flag --proxy (expected one of: --change, --dir, --heap, --meshes");
    }

    @Test
    void everyProxyReachesOnlyServicesOfItsOwnMesh() {
        ScaleScenario scenario = new ScaleScenario(100, 30, 3, 9, ScaleScenario.Change.TRAFFIC_ROUTE);
        for (int p = 0; p < scenario.proxies(); p++) {
            int mesh = scenario.meshOf(p);
            assertThat(scenario.reachable(p)).hasSize(9).doesNotHaveDuplicates()
                    .doesNotContain(scenario.serviceOf(p)).allSatisfy(s -> assertThat(s % 3).isEqualTo(mesh));
        }
    }
}
