package io.ursa.xds.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Duration;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import org.junit.jupiter.api.Test;

class ResourceSetTest {

    @Test
    void sortsByTypeAndName() {
        ResourceSet set = ResourceSet.of(listener("b"), cluster("z"), listener("a"), cluster("c"));

        assertThat(set.types()).containsExactly(EnvoyType.CLUSTER, EnvoyType.LISTENER);
        assertThat(set.byName(EnvoyType.LISTENER).keySet()).containsExactly("a", "b");
        assertThat(set.resources(Cluster.class)).extracting(Cluster::getName).containsExactly("c", "z");
        assertThat(set.resources(EnvoyType.SECRET)).isEmpty();
        assertThat(set.size()).isEqualTo(4);
    }

    @Test
    void mergesDisjointSets() {
        ResourceSet merged = ResourceSet.of(cluster("a")).merge(ResourceSet.of(cluster("b"), listener("a")));

        assertThat(merged).isEqualTo(ResourceSet.of(listener("a"), cluster("b"), cluster("a")));
        assertThat(ResourceSet.empty().merge(merged)).isSameAs(merged);
    }

    @Test
    void addingSetsOfEverySizeKeepsOneSortedSetAndRefusesADuplicateEitherWay() {
        ResourceSet few = ResourceSet.of(cluster("m"), listener("in"));
        ResourceSet many = ResourceSet.of(cluster("a"), cluster("k"), cluster("z"), listener("out"));

        ResourceSet smallFirst = ResourceSet.builder().addAll(few).addAll(many).build();
        ResourceSet largeFirst = ResourceSet.builder().addAll(many).addAll(few).build();

        assertThat(smallFirst).isEqualTo(largeFirst).isEqualTo(ResourceSet.of(cluster("a"), cluster("k"),
                cluster("m"), cluster("z"), listener("in"), listener("out")));
        assertThat(smallFirst.byName(EnvoyType.CLUSTER).keySet()).containsExactly("a", "k", "m", "z");
        assertThat(many.size()).as("the sets added are left as they were").isEqualTo(4);
        ResourceSet clash = ResourceSet.of(cluster("k"));
        assertThatThrownBy(() -> ResourceSet.builder().addAll(clash).addAll(many))
                .hasMessage("duplicate CLUSTER \"k\"");
        assertThatThrownBy(() -> ResourceSet.builder().addAll(many).addAll(clash))
                .hasMessage("duplicate CLUSTER \"k\"");
    }

    @Test
    void refusesDuplicateNamesOfOneType() {
        assertThatThrownBy(() -> ResourceSet.of(cluster("a")).merge(ResourceSet.of(cluster("a"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("duplicate CLUSTER \"a\"");
    }

    @Test
    void refusesEmptyNamesAndNonResourceMessages() {
        assertThatThrownBy(() -> ResourceSet.of(Cluster.getDefaultInstance()))
                .hasMessage("invalid CLUSTER name: \"\" (expected: a non-empty name)");
        assertThatThrownBy(() -> ResourceSet.of(Duration.getDefaultInstance()))
                .hasMessageStartingWith("not an xDS resource type: google.protobuf.Duration");
    }

    @Test
    void looksUpByClassAndName() {
        ResourceSet set = ResourceSet.of(RouteConfiguration.newBuilder().setName("r").build());

        assertThat(set.get(RouteConfiguration.class, "r")).isPresent();
        assertThat(set.get(RouteConfiguration.class, "x")).isEmpty();
    }

    static Cluster cluster(String name) {
        return Cluster.newBuilder().setName(name).build();
    }

    static Listener listener(String name) {
        return Listener.newBuilder().setName(name).build();
    }
}
