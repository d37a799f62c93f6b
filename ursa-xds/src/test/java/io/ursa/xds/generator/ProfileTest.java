package io.ursa.xds.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.resources.EnvoyType;
import io.ursa.xds.resources.ResourceSet;
import io.ursa.xds.testing.XdsFixtures;
import org.junit.jupiter.api.Test;

class ProfileTest {
    private static final ProxyContext PROXY =
            XdsFixtures.firstProxy(XdsFixtures.TESTDATA.resolve("inbound/tcp.input.yaml"));

    @Test
    void mergesTheResultsOfItsGeneratorsInOrder() {
        Profile profile = Profile.of(new InboundGenerator(), proxy -> ResourceSet.of(cluster("extra")),
                proxy -> ResourceSet.empty());

        ResourceSet resources = profile.generate(PROXY);

        assertThat(resources.byName(EnvoyType.CLUSTER).keySet()).containsExactly("extra", "localhost:16379");
        assertThat(resources.byName(EnvoyType.LISTENER).keySet()).containsExactly("inbound:192.168.0.1:6379");
    }

    @Test
    void refusesADuplicateNameNamingTheGeneratorAndTheResource() {
        Profile profile = Profile.of(new InboundGenerator(), new Generator() {
            @Override
            public ResourceSet generate(ProxyContext proxy) {
                return ResourceSet.of(cluster("localhost:16379"));
            }

            @Override
            public String name() {
                return "ShadowingGenerator";
            }
        });

        assertThatThrownBy(() -> profile.generate(PROXY))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("generator ShadowingGenerator emitted a resource that an earlier generator")
                .hasMessageContaining("duplicate CLUSTER \"localhost:16379\"")
                .hasMessageContaining("Dataplane Dataplane default/redis-1");
    }

    @Test
    void namesTheGeneratorThatFailed() {
        Profile profile = Profile.of(proxy -> {
            throw new IllegalArgumentException("boom");
        });

        assertThatThrownBy(() -> profile.generate(PROXY))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("generator ")
                .hasMessageEndingWith("failed for Dataplane Dataplane default/redis-1: boom");
    }

    private static Cluster cluster(String name) {
        return Cluster.newBuilder().setName(name).build();
    }
}
