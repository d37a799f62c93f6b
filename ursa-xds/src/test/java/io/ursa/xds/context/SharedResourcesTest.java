package io.ursa.xds.context;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What a mesh context's shared values keep from the context they replace after a narrow change
 * ({@link SharedResources#carryFrom}): the values of keys the change does not affect; and, for a resource computed
 * again with the same content, the earlier instance and its facts.
 */
class SharedResourcesTest {
    /** A value that depends on the endpoints of {@code service}. */
    private record ServiceKey(String service) implements CarriedKey {
        @Override
        public boolean affectedBy(Set<String> changedServices, boolean policiesChanged) {
            return changedServices.contains(service);
        }
    }

    private final SharedResources earlier = new SharedResources();
    private final SharedResources next = new SharedResources();

    @Test
    void aValueTheChangeLeavesAsItWasIsCarriedAndOneItAffectsIsComputedAgain() {
        String backend = earlier.computeIfAbsent(new ServiceKey("backend"), () -> "backend v1");
        earlier.computeIfAbsent(new ServiceKey("billing"), () -> "billing v1");

        int carried = next.carryFrom(earlier, Set.of("billing"), false);

        assertThat(carried).isEqualTo(1);
        assertThat((String) next.computeIfAbsent(new ServiceKey("backend"), () -> "computed")).isSameAs(backend);
        assertThat((String) next.computeIfAbsent(new ServiceKey("billing"), () -> "billing v2"))
                .isEqualTo("billing v2");
    }

    @Test
    void aResourceComputedAgainWithTheSameContentIsTheEarlierInstanceWithItsFacts() {
        Cluster before = earlier.computeIfAbsent(new ServiceKey("backend"), () -> cluster("backend"));
        byte[] digest = earlier.derived("digest", before, () -> new byte[] {1, 2, 3});

        next.carryFrom(earlier, Set.of("backend"), false);
        Cluster again = next.computeIfAbsent(new ServiceKey("backend"), () -> cluster("backend"));

        assertThat(again).isSameAs(before);
        assertThat(next.<byte[]>derived("digest", again, () -> new byte[0])).isSameAs(digest);
    }

    @Test
    void aResourceComputedAgainWithOtherContentIsTheNewOne() {
        Cluster before = earlier.computeIfAbsent(new ServiceKey("backend"), () -> cluster("backend"));
        earlier.derived("digest", before, () -> new byte[] {1});

        next.carryFrom(earlier, Set.of("backend"), false);
        Cluster changed = cluster("backend").toBuilder().setAltStatName("moved").build();
        Cluster again = next.computeIfAbsent(new ServiceKey("backend"), () -> changed);

        assertThat(again).isSameAs(changed);
        assertThat(next.<byte[]>derived("digest", again, () -> new byte[] {9})).containsExactly(9);
    }

    @Test
    void withoutANarrowChangeNothingIsCarried() {
        Cluster before = earlier.computeIfAbsent(new ServiceKey("backend"), () -> cluster("backend"));

        Cluster again = next.computeIfAbsent(new ServiceKey("backend"), () -> cluster("backend"));

        assertThat(again).isEqualTo(before).isNotSameAs(before);
    }

    @Test
    void valuesNoLongerAskedForAreGoneAfterALongRunOfNarrowChanges() {
        // a pod that left: nothing asks for its value again, and no change names its service
        SharedResources context = earlier;
        Cluster kept = context.computeIfAbsent(new ServiceKey("backend"), () -> cluster("backend"));
        context.computeIfAbsent(new ServiceKey("departed"), () -> cluster("departed"));
        int carriedLast = 0;
        for (int change = 1; change <= SharedResources.MAX_CARRIES_IN_A_ROW; change++) {
            SharedResources following = new SharedResources();
            carriedLast = following.carryFrom(context, Set.of("billing"), false);
            context = following;
        }
        assertThat(carriedLast).as("carried across %d changes in a row", SharedResources.MAX_CARRIES_IN_A_ROW)
                .isEqualTo(2);

        SharedResources renewed = new SharedResources();
        int carried = renewed.carryFrom(context, Set.of("billing"), false);
        Cluster again = renewed.computeIfAbsent(new ServiceKey("backend"), () -> cluster("backend"));
        SharedResources after = new SharedResources();
        after.carryFrom(renewed, Set.of("billing"), false);

        assertThat(carried).as("the next change computes every value again").isZero();
        assertThat(again).as("an equal resource is still the earlier instance").isSameAs(kept);
        assertThat((Cluster) after.computeIfAbsent(new ServiceKey("backend"), () -> cluster("other")))
                .as("what is asked for is carried again").isSameAs(kept);
        assertThat((Cluster) after.computeIfAbsent(new ServiceKey("departed"), () -> cluster("computed")))
                .as("what nobody asked for is gone").isEqualTo(cluster("computed"));
    }

    private static Cluster cluster(String name) {
        return Cluster.newBuilder().setName(name).setType(Cluster.DiscoveryType.EDS).build();
    }
}
