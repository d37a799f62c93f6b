package io.ursa.xds.generator;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.names.EnvoyNames;
import io.ursa.xds.resources.ResourceSet;
import io.ursa.xds.testing.GoldenFiles;
import io.ursa.xds.testing.StrictEnvoyProtos;
import io.ursa.xds.testing.XdsFixtures;
import io.ursa.xds.testing.XdsYaml;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ProbeGeneratorTest {
    private static final Path FOLDER = XdsFixtures.TESTDATA.resolve("probe");
    private static final String INPUT = ".input.yaml";

    private final ProbeGenerator generator = new ProbeGenerator();

    static Stream<String> cases() {
        return GoldenFiles.caseNames(FOLDER, INPUT).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesGoldenAndEnvoyProtos(String name) {
        ResourceSet resources = generator.generate(proxy(name));

        // The local clusters the routes name come from the inbound generator (the profile test has them all).
        StrictEnvoyProtos.check(resources, Set.of(EnvoyNames.localCluster(8080), EnvoyNames.localCluster(8081)));
        GoldenFiles.assertMatches(FOLDER.resolve(name + ".golden.yaml"), XdsYaml.toTree(resources));
    }

    @Test
    void aProbeOfAWorkloadPortGoesToItsLocalClusterWithThePathRewrittenAndNoQuery() {
        List<Route> routes = routes(generator.generate(proxy("to-local-cluster")));

        assertThat(routes).hasSize(2);
        Route live = routes.get(0);
        assertThat(live.getMatch().getPath()).isEqualTo("/8081/healthz/live");
        assertThat(live.getMatch().getHeaders(0).getStringMatch().getExact()).isEqualTo("GET");
        assertThat(live.getRoute().getCluster()).isEqualTo(EnvoyNames.localCluster(8081));
        assertThat(live.getRoute().getRegexRewrite().getSubstitution()).isEqualTo("/healthz/live");
    }

    @Test
    void aProbeOfAnotherPortIsRedirected() {
        Route route = routes(generator.generate(proxy("redirect"))).get(0);

        assertThat(route.hasRoute()).isFalse();
        assertThat(route.getRedirect().getPortRedirect()).isEqualTo(8080);
        assertThat(route.getRedirect().getPathRedirect()).isEqualTo("/healthz/probe");
    }

    @Test
    void underTransparentProxyingTheListenerDoesNotBind() {
        Listener listener = generator.generate(proxy("transparent-proxy")).get(Listener.class,
                EnvoyNames.PROBE_LISTENER).orElseThrow();

        assertThat(listener.hasBindToPort()).isTrue();
        assertThat(listener.getBindToPort().getValue()).isFalse();
        assertThat(generator.generate(proxy("redirect")).get(Listener.class, EnvoyNames.PROBE_LISTENER)
                .orElseThrow().hasBindToPort()).isFalse();
    }

    @Test
    void nothingWithoutProbes() {
        assertThat(generator.generate(proxy("no-probes")).isEmpty()).isTrue();
    }

    private static List<Route> routes(ResourceSet resources) {
        Listener listener = resources.get(Listener.class, EnvoyNames.PROBE_LISTENER).orElseThrow();
        try {
            return listener.getFilterChains(0).getFilters(0).getTypedConfig().unpack(HttpConnectionManager.class)
                    .getRouteConfig().getVirtualHosts(0).getRoutesList();
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static ProxyContext proxy(String name) {
        return XdsFixtures.firstProxy(FOLDER.resolve(name + INPUT));
    }
}
