package io.ursa.xds.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.ursa.xds.envoy.Protos;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class VersionsTest {
    /** The SHA-256 of no input: the version of a type without resources. */
    private static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @Test
    void isStableAcrossRunsAndJvms() {
        Versions versions = Versions.of(ResourceSet.of(cluster("a", 10), cluster("b", 5)));

        // Pinned, and checked independently: SHA-256 over len+"a"+SHA-256(0a0161_2202080a) + len+"b"+
        // SHA-256(0a0162_22020805) (the hand-encoded protobuf bytes). hashCode() or iteration order would not
        // reproduce it.
        assertThat(versions.of(EnvoyType.CLUSTER))
                .isEqualTo("3907f8717f16c977aea908e9fa80353289e495e85bc43a582a5bcd8494480587");
        assertThat(versions.of(EnvoyType.LISTENER)).isEqualTo(EMPTY);
        assertThat(Versions.of(ResourceSet.of(cluster("a", 10), cluster("b", 5)))).isEqualTo(versions);
    }

    @Test
    void remembersDigestsWithoutChangingTheVersions() {
        ResourceSet resources = ResourceSet.of(cluster("a", 10), cluster("b", 5));
        java.util.Map<com.google.protobuf.Message, byte[]> remembered = new java.util.IdentityHashMap<>();

        Versions first = Versions.of(resources, r -> remembered.computeIfAbsent(r, Versions::digest));
        Versions again = Versions.of(resources, r -> remembered.computeIfAbsent(r, Versions::digest));

        assertThat(first).isEqualTo(Versions.of(resources)).isEqualTo(again);
        assertThat(remembered).hasSize(2);
    }

    @Test
    void doesNotDependOnTheOrderResourcesWereAdded() {
        assertThat(Versions.of(ResourceSet.of(cluster("b", 5), cluster("a", 10))))
                .isEqualTo(Versions.of(ResourceSet.of(cluster("a", 10), cluster("b", 5))));
    }

    @Test
    void doesNotDependOnMapInsertionOrder() {
        Listener first = listenerWithTags("x", "1", "y", "2");
        Listener second = listenerWithTags("y", "2", "x", "1");

        assertThat(Versions.of(ResourceSet.of(first))).isEqualTo(Versions.of(ResourceSet.of(second)));
    }

    @Test
    void changesWhenAnyFieldChanges() {
        String base = Versions.of(ResourceSet.of(cluster("a", 10))).of(EnvoyType.CLUSTER);

        assertThat(Versions.of(ResourceSet.of(cluster("a", 11))).of(EnvoyType.CLUSTER)).isNotEqualTo(base);
        assertThat(Versions.of(ResourceSet.of(cluster("b", 10))).of(EnvoyType.CLUSTER)).isNotEqualTo(base);
        assertThat(Versions.of(ResourceSet.of(cluster("a", 10).toBuilder().setAltStatName("x").build()))
                .of(EnvoyType.CLUSTER)).isNotEqualTo(base);
        assertThat(Versions.of(ResourceSet.of(cluster("a", 10), cluster("b", 10))).of(EnvoyType.CLUSTER))
                .isNotEqualTo(base);
        assertThat(Versions.of(ResourceSet.of(listenerWithTags("k", "v1"))))
                .isNotEqualTo(Versions.of(ResourceSet.of(listenerWithTags("k", "v2"))));
    }

    @Test
    void changesOnlyTheVersionOfTheChangedType() {
        Versions before = Versions.of(ResourceSet.of(cluster("a", 10), listenerWithTags("k", "v")));
        Versions after = Versions.of(ResourceSet.of(cluster("a", 11), listenerWithTags("k", "v")));

        assertThat(after.of(EnvoyType.CLUSTER)).isNotEqualTo(before.of(EnvoyType.CLUSTER));
        assertThat(after.of(EnvoyType.LISTENER)).isEqualTo(before.of(EnvoyType.LISTENER));
    }

    private static Cluster cluster(String name, int connectTimeoutSeconds) {
        return Cluster.newBuilder()
                .setName(name)
                .setConnectTimeout(Protos.duration(Duration.ofSeconds(connectTimeoutSeconds)))
                .build();
    }

    private static Listener listenerWithTags(String... keyValues) {
        Struct.Builder tags = Struct.newBuilder();
        for (int i = 0; i < keyValues.length; i += 2) {
            tags.putFields(keyValues[i], Value.newBuilder().setStringValue(keyValues[i + 1]).build());
        }
        return Listener.newBuilder()
                .setName("l")
                .setMetadata(Metadata.newBuilder().putFilterMetadata("io.kuma.tags", tags.build())
                        .putFilterMetadata("other", Struct.getDefaultInstance()))
                .build();
    }
}
