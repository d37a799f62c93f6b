package io.ursa.xds.generator;

import static org.assertj.core.api.Assertions.assertThat;

import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.names.EnvoyNames;
import io.ursa.xds.resources.EnvoyType;
import io.ursa.xds.resources.ResourceSet;
import io.ursa.xds.snapshot.SnapshotAssembler;
import io.ursa.xds.testing.GoldenFiles;
import io.ursa.xds.testing.StrictEnvoyProtos;
import io.ursa.xds.testing.XdsFixtures;
import io.ursa.xds.testing.XdsYaml;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Whole sidecars through {@link Profiles#envoy()}: every generator together, checked as one snapshot would be. */
class EnvoyProfileTest {
    private static final Path FOLDER = XdsFixtures.TESTDATA.resolve("profile");
    private static final String INPUT = ".input.yaml";

    static Stream<String> cases() {
        return GoldenFiles.caseNames(FOLDER, INPUT).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesGoldenAndEnvoyProtos(String name) {
        ResourceSet resources = Profiles.envoy().generate(proxy(name));

        StrictEnvoyProtos.check(resources);
        SnapshotAssembler.forProxy(proxy(name)).assemble(resources, name);
        GoldenFiles.assertMatches(FOLDER.resolve(name + ".golden.yaml"), XdsYaml.toTree(resources));
    }

    @Test
    void runsTheGeneratorsInTheOrderOfKumasDefaultProfile() {
        assertThat(Profiles.envoy().generators()).extracting(Generator::name).containsSubsequence(
                "AdminGenerator", "PrometheusEndpointGenerator", "InboundGenerator", "OutboundGenerator",
                "TracingGenerator", "DnsGenerator", "SecretsGenerator");
    }

    @Test
    void everyObservabilityResourceIsThereOnceAndTheScrapeRouteReachesTheMetricsHijacker() {
        ResourceSet resources = Profiles.envoy().generate(proxy("observability"));

        assertThat(resources.byName(EnvoyType.LISTENER).keySet()).containsExactly("inbound:192.168.0.1:8080",
                EnvoyNames.ENVOY_ADMIN, EnvoyNames.PROMETHEUS_LISTENER, "outbound:127.0.0.1:10001");
        assertThat(resources.byName(EnvoyType.CLUSTER).keySet()).containsExactly("api", EnvoyNames.ENVOY_ADMIN,
                EnvoyNames.METRICS_HIJACKER_CLUSTER, "localhost:8080", "tracing:zipkin");
    }

    private static ProxyContext proxy(String name) {
        return XdsFixtures.firstProxy(FOLDER.resolve(name + INPUT));
    }
}
