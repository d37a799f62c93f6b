package io.ursa.xds.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.context.ProxyKind;
import io.ursa.xds.context.ProxyMetadata;
import io.ursa.xds.names.EnvoyNames;
import io.ursa.xds.resources.EnvoyType;
import io.ursa.xds.resources.ResourceSet;
import io.ursa.xds.testing.GoldenFiles;
import io.ursa.xds.testing.StrictEnvoyProtos;
import io.ursa.xds.testing.XdsFixtures;
import io.ursa.xds.testing.XdsYaml;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AdminGeneratorTest {
    private static final Path FOLDER = XdsFixtures.TESTDATA.resolve("admin");
    private static final String INPUT = ".input.yaml";

    private final AdminGenerator generator = new AdminGenerator();

    /** One case per {@code <case>.input.yaml}; adding a case means adding the input and its golden file. */
    static Stream<String> cases() {
        return GoldenFiles.caseNames(FOLDER, INPUT).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesGoldenAndEnvoyProtos(String name) {
        ResourceSet resources = generator.generate(proxy(name));

        StrictEnvoyProtos.check(resources);
        GoldenFiles.assertMatches(FOLDER.resolve(name + ".golden.yaml"), XdsYaml.toTree(resources));
    }

    @Test
    void coversTheRequiredCases() {
        assertThat(cases()).contains("default", "dataplane-on-loopback", "ipv6-dataplane", "no-admin-port");
    }

    @Test
    void exposesNothingWithoutAnAdminPort() {
        assertThat(generator.generate(proxy("no-admin-port")).isEmpty()).isTrue();
    }

    @Test
    void clusterPointsAtTheAdminPortOnLoopbackAndListenerServesOnlyReadiness() {
        ResourceSet resources = generator.generate(proxy("default"));

        Cluster cluster = resources.get(Cluster.class, EnvoyNames.ENVOY_ADMIN).orElseThrow();
        assertThat(endpoint(cluster)).isEqualTo(socket("127.0.0.1", 9901));
        assertThat(cluster.getConnectTimeout().getSeconds()).isEqualTo(10);
        Listener listener = resources.get(Listener.class, EnvoyNames.ENVOY_ADMIN).orElseThrow();
        assertThat(listener.getAddress().getSocketAddress()).isEqualTo(socket("192.168.0.1", 9901));
        assertThat(listener.getTrafficDirection()).isEqualTo(TrafficDirection.INBOUND);
        assertThat(listener.getFilterChainsList()).hasSize(1);
        HttpConnectionManager hcm = hcm(listener);
        assertThat(hcm.getStatPrefix()).isEqualTo("kuma_envoy_admin");
        Route only = hcm.getRouteConfig().getVirtualHosts(0).getRoutes(0);
        assertThat(hcm.getRouteConfig().getVirtualHosts(0).getRoutesList()).hasSize(1);
        assertThat(only.getMatch().getPrefix()).isEqualTo("/ready");
        assertThat(only.getRoute().getPrefixRewrite()).isEqualTo("/ready");
        assertThat(only.getRoute().getCluster()).isEqualTo(EnvoyNames.ENVOY_ADMIN);
    }

    @Test
    void noListenerWhenTheDataplaneAddressIsTheAdminAddress() {
        ResourceSet resources = generator.generate(proxy("dataplane-on-loopback"));

        assertThat(resources.byName(EnvoyType.LISTENER)).isEmpty();
        assertThat(resources.byName(EnvoyType.CLUSTER).keySet()).containsExactly(EnvoyNames.ENVOY_ADMIN);
    }

    @Test
    void unspecifiedAdminAddressesMeanLoopback() {
        ProxyContext proxy = proxy("default");

        Cluster ipv6 = generator.generate(proxy.withMetadata(metadata("::"))).get(Cluster.class,
                EnvoyNames.ENVOY_ADMIN).orElseThrow();
        Cluster empty = generator.generate(proxy.withMetadata(metadata(""))).get(Cluster.class,
                EnvoyNames.ENVOY_ADMIN).orElseThrow();
        Cluster any = generator.generate(proxy.withMetadata(metadata("0.0.0.0"))).get(Cluster.class,
                EnvoyNames.ENVOY_ADMIN).orElseThrow();

        assertThat(endpoint(ipv6)).isEqualTo(socket("::1", 9901));
        assertThat(endpoint(empty)).isEqualTo(socket("127.0.0.1", 9901));
        assertThat(endpoint(any)).isEqualTo(socket("127.0.0.1", 9901));
    }

    @Test
    void refusesAnAdminAddressOtherThanLoopback() {
        ProxyContext proxy = proxy("default").withMetadata(metadata("10.0.0.7"));

        assertThatThrownBy(() -> generator.generate(proxy))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid Envoy admin address: \"10.0.0.7\" (expected: one of \"\", \"0.0.0.0\", "
                        + "\"127.0.0.1\", \"::\", \"::1\")");
    }

    private static ProxyMetadata metadata(String adminAddress) {
        return new ProxyMetadata(ProxyKind.ENVOY, OptionalInt.of(9901), adminAddress);
    }

    private static ProxyContext proxy(String name) {
        return XdsFixtures.firstProxy(FOLDER.resolve(name + INPUT));
    }

    private static SocketAddress endpoint(Cluster cluster) {
        return cluster.getLoadAssignment().getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress()
                .getSocketAddress();
    }

    private static SocketAddress socket(String address, int port) {
        return SocketAddress.newBuilder().setAddress(address).setPortValue(port).build();
    }

    private static HttpConnectionManager hcm(Listener listener) {
        try {
            return listener.getFilterChains(0).getFilters(0).getTypedConfig().unpack(HttpConnectionManager.class);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
