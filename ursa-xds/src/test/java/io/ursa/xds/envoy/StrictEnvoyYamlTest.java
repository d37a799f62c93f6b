package io.ursa.xds.envoy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import org.junit.jupiter.api.Test;

class StrictEnvoyYamlTest {
    @Test
    void parsesTypedConfigsOfAnyEnvoyType() throws Exception {
        Filter filter = StrictEnvoyYaml.parse("""
                name: envoy.filters.network.tcp_proxy
                typedConfig:
                  '@type': type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy
                  cluster: api
                """, Filter.getDefaultInstance());

        assertThat(filter.getTypedConfig().unpack(TcpProxy.class).getCluster()).isEqualTo("api");
    }

    @Test
    void refusesUnknownFieldsAndTypes() {
        assertThatThrownBy(() -> StrictEnvoyYaml.parse("nme: x", Cluster.getDefaultInstance()))
                .hasMessageStartingWith("not a valid envoy.config.cluster.v3.Cluster: ")
                .hasMessageContaining("nme");
        assertThatThrownBy(() -> StrictEnvoyYaml.parse("typedConfig: {'@type': type.googleapis.com/nope.Nope}",
                Filter.getDefaultInstance()))
                .hasMessageStartingWith("unknown type type.googleapis.com/nope.Nope");
    }

    @Test
    void readsTheTypeOfARawResourceFromItsAtType() {
        assertThat(StrictEnvoyYaml.parseTyped("""
                '@type': type.googleapis.com/envoy.config.cluster.v3.Cluster
                name: raw
                """)).isEqualTo(Cluster.newBuilder().setName("raw").build());
        assertThatThrownBy(() -> StrictEnvoyYaml.parseTyped("name: raw")).hasMessageStartingWith("no \"@type\"");
    }

    @Test
    void emptyYamlIsTheEmptyMessageAndAListIsRefused() {
        assertThat(StrictEnvoyYaml.parse("", Cluster.getDefaultInstance())).isEqualTo(Cluster.getDefaultInstance());
        assertThatThrownBy(() -> StrictEnvoyYaml.parse("[a]", Cluster.getDefaultInstance()))
                .hasMessageStartingWith("expected a YAML object");
    }
}
