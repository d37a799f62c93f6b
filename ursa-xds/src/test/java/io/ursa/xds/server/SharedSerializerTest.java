package io.ursa.xds.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import org.junit.jupiter.api.Test;

class SharedSerializerTest {
    private static final Cluster CLUSTER = Cluster.newBuilder().setName("outbound:backend").build();

    @Test
    void packsAResourceOnceForEveryProxyItIsSentTo() {
        SharedSerializer serializer = new SharedSerializer();

        Any first = serializer.serialize(CLUSTER, Resources.ApiVersion.V3);
        Any again = serializer.serialize(CLUSTER, Resources.ApiVersion.V3);
        Any equal = serializer.serialize(CLUSTER.toBuilder().build(), Resources.ApiVersion.V3);

        assertThat(first).isEqualTo(Any.pack(CLUSTER));
        assertThat(again).isSameAs(first);
        assertThat(equal).isSameAs(first);
    }

    @Test
    void keepsWhatTheLastTwoPassesUsedAndForgetsTheRest() {
        SharedSerializer serializer = new SharedSerializer();
        Cluster other = Cluster.newBuilder().setName("outbound:web").build();
        Any packed = serializer.serialize(CLUSTER, Resources.ApiVersion.V3);
        serializer.serialize(other, Resources.ApiVersion.V3);

        serializer.rotate();
        assertThat(serializer.serialize(CLUSTER, Resources.ApiVersion.V3)).isSameAs(packed);
        serializer.rotate();

        assertThat(serializer.size()).isEqualTo(1); // "other" was not used during the last pass
        assertThat(serializer.serialize(CLUSTER, Resources.ApiVersion.V3)).isSameAs(packed);
        serializer.rotate();
        serializer.rotate();
        assertThat(serializer.size()).isZero();
    }
}
