package io.ursa.xds.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Duration;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.ursa.xds.envoy.Protos;
import io.ursa.xds.resources.ResourceSet;
import org.junit.jupiter.api.Test;

/** The checker must reject what Envoy would reject, or the golden tests prove nothing. */
class StrictEnvoyProtosTest {

    @Test
    void rejectsAnAnyOfAnUnknownType() {
        ResourceSet set = ResourceSet.of(listener(Filter.newBuilder().setName("x")
                .setTypedConfig(Protos.pack(Duration.newBuilder().setSeconds(1).build())).build()));

        assertThatThrownBy(() -> StrictEnvoyProtos.check(set)).isInstanceOf(AssertionError.class);
    }

    @Test
    void rejectsAReferenceToAMissingCluster() {
        ResourceSet set = ResourceSet.of(listener(Filter.newBuilder().setName("envoy.filters.network.tcp_proxy")
                .setTypedConfig(Protos.pack(TcpProxy.newBuilder().setStatPrefix("s").setCluster("nowhere").build()))
                .build()));

        assertThatThrownBy(() -> StrictEnvoyProtos.check(set)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("nowhere");
    }

    @Test
    void rejectsAFilterWithoutTypedConfig() {
        ResourceSet set = ResourceSet.of(listener(Filter.newBuilder().setName("envoy.filters.network.tcp_proxy")
                .build()));

        assertThatThrownBy(() -> StrictEnvoyProtos.check(set)).isInstanceOf(AssertionError.class);
    }

    private static Listener listener(Filter filter) {
        return Listener.newBuilder().setName("l")
                .addFilterChains(FilterChain.newBuilder().addFilters(filter)).build();
    }
}
