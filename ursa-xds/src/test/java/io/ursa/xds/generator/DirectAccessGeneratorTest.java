package io.ursa.xds.generator;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.names.EnvoyNames;
import io.ursa.xds.resources.EnvoyType;
import io.ursa.xds.resources.ResourceSet;
import io.ursa.xds.testing.GoldenFiles;
import io.ursa.xds.testing.StrictEnvoyProtos;
import io.ursa.xds.testing.XdsFixtures;
import io.ursa.xds.testing.XdsYaml;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Direct access as Kuma 2.0: a listener per inbound address of the listed services, through one mTLS cluster. */
class DirectAccessGeneratorTest {
    private static final Path FOLDER = XdsFixtures.TESTDATA.resolve("direct-access");
    private static final String INPUT = ".input.yaml";

    private final DirectAccessGenerator generator = new DirectAccessGenerator();

    static Stream<String> cases() {
        return GoldenFiles.caseNames(FOLDER, INPUT).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesGoldenAndEnvoyProtos(String name) {
        ProxyContext proxy = proxy(name);
        ResourceSet resources = generator.generate(proxy);

        // the whole profile, so that the SDS secrets the cluster's TLS names are there too
        StrictEnvoyProtos.check(Profiles.envoy().generate(proxy));
        GoldenFiles.assertMatches(FOLDER.resolve(name + ".golden.yaml"), XdsYaml.toTree(resources));
    }

    @Test
    void everyOtherProxysInboundAddressGetsAListenerButThoseTheProxyAlreadyUses() {
        ResourceSet resources = generator.generate(proxy("all-services"));

        assertThat(resources.byName(EnvoyType.LISTENER).keySet()).containsExactly(
                "direct_access_192.168.0.2:1234", "direct_access_192.168.0.2:1235", "direct_access_192.168.0.3:1234");
        Listener first = resources.get(Listener.class, "direct_access_192.168.0.2:1234").orElseThrow();
        assertThat(first.getBindToPort().getValue()).isFalse();
        assertThat(resources.byName(EnvoyType.CLUSTER).keySet()).containsExactly(EnvoyNames.DIRECT_ACCESS_CLUSTER);
    }

    @Test
    void onlyTheListedServices() {
        assertThat(generator.generate(proxy("one-service")).byName(EnvoyType.LISTENER).keySet())
                .containsExactly("direct_access_192.168.0.2:1234", "direct_access_192.168.0.3:1234");
    }

    @Test
    void withMeshMtlsTheClusterAcceptsAnyServiceOfTheMesh() throws Exception {
        Cluster cluster = generator.generate(proxy("mtls")).get(Cluster.class, EnvoyNames.DIRECT_ACCESS_CLUSTER)
                .orElseThrow();

        UpstreamTlsContext tls = cluster.getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class);
        assertThat(tls.getSni()).isEmpty();
        assertThat(tls.getCommonTlsContext().getAlpnProtocolsList()).containsExactly("kuma");
        assertThat(tls.getCommonTlsContext().getCombinedValidationContext().getDefaultValidationContext()
                .getMatchTypedSubjectAltNames(0).getMatcher().getPrefix()).isEqualTo("spiffe://default/");
    }

    @Test
    void nothingWithoutTransparentProxying() {
        assertThat(generator.generate(proxy("no-transparent-proxy")).isEmpty()).isTrue();
    }

    private static ProxyContext proxy(String name) {
        return XdsFixtures.firstProxy(FOLDER.resolve(name + INPUT));
    }
}
