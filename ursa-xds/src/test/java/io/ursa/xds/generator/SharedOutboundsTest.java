package io.ursa.xds.generator;

import static io.ursa.xds.generator.SharingFixtures.context;
import static io.ursa.xds.generator.SharingFixtures.proxy;
import static io.ursa.xds.generator.SharingFixtures.unshared;
import static org.assertj.core.api.Assertions.assertThat;

import io.ursa.xds.context.MeshContext;
import io.ursa.xds.resources.ResourceSet;
import org.junit.jupiter.api.Test;

/**
 * Replicas of one workload (same outbounds, same tags) share their outbound resources within a mesh context, and
 * sharing never changes what any proxy gets.
 */
class SharedOutboundsTest {
    private static final String MESH = """
            type: Mesh
            name: default
            logging:
              backends:
              - name: file
                type: file
                conf: {path: /var/log/envoy/access.log}
            """;
    private static final String DATAPLANES = """
            ---
            type: Dataplane
            mesh: default
            name: web-1
            networking:
              address: 10.0.0.1
              inbound:
              - port: 8080
                tags: {kuma.io/service: web, kuma.io/protocol: http, version: v1}
              outbound:
              - port: 10001
                tags: {kuma.io/service: api}
            ---
            type: Dataplane
            mesh: default
            name: web-2
            networking:
              address: 10.0.0.2
              inbound:
              - port: 8080
                tags: {kuma.io/service: web, kuma.io/protocol: http, version: v1}
              outbound:
              - port: 10001
                tags: {kuma.io/service: api}
            ---
            type: Dataplane
            mesh: default
            name: web-3
            networking:
              address: 10.0.0.3
              inbound:
              - port: 8080
                tags: {kuma.io/service: web, kuma.io/protocol: http, version: v2}
              outbound:
              - port: 10001
                tags: {kuma.io/service: api}
            ---
            type: Dataplane
            mesh: default
            name: api-1
            networking:
              address: 10.0.1.1
              inbound:
              - port: 8000
                tags: {kuma.io/service: api, kuma.io/protocol: http}
            """ + SharingFixtures.ROUTE_AND_TIMEOUT_FOR_ALL;
    private static final String TRAFFIC_LOG = """
            ---
            type: TrafficLog
            mesh: default
            name: all
            sources: [{match: {kuma.io/service: '*'}}]
            destinations: [{match: {kuma.io/service: '*'}}]
            conf: {backend: file}
            """;

    private final OutboundGenerator generator = new OutboundGenerator();

    @Test
    void replicasGetTheSameInstancesAndWhatEachWouldGetAlone() {
        MeshContext mesh = context(MESH + DATAPLANES);

        ResourceSet first = generator.generate(proxy(mesh, "web-1"));
        ResourceSet second = generator.generate(proxy(mesh, "web-2"));

        assertThat(second).isSameAs(first);
        assertThat(first.size()).isEqualTo(3);
        assertThat(first).isEqualTo(generator.generate(proxy(unshared(mesh), "web-1")));
        assertThat(second).isEqualTo(generator.generate(proxy(unshared(mesh), "web-2")));
    }

    @Test
    void aProxyWithOtherTagsGetsItsOwn() {
        MeshContext mesh = context(MESH + DATAPLANES);

        ResourceSet v1 = generator.generate(proxy(mesh, "web-1"));
        ResourceSet v2 = generator.generate(proxy(mesh, "web-3"));

        assertThat(v2).isNotSameAs(v1).isNotEqualTo(v1); // x-kuma-tags names its version
        assertThat(v2).isEqualTo(generator.generate(proxy(unshared(mesh), "web-3")));
    }

    @Test
    void withATrafficLogEveryProxyGetsItsOwnBecauseTheLogNamesItsAddress() {
        MeshContext mesh = context(MESH + DATAPLANES + TRAFFIC_LOG);

        ResourceSet first = generator.generate(proxy(mesh, "web-1"));
        ResourceSet second = generator.generate(proxy(mesh, "web-2"));

        assertThat(second).isNotSameAs(first).isNotEqualTo(first);
        assertThat(first).isEqualTo(generator.generate(proxy(unshared(mesh), "web-1")));
        assertThat(second).isEqualTo(generator.generate(proxy(unshared(mesh), "web-2")));
    }

    @Test
    void wholeProfilesAreUnchangedBySharing() {
        MeshContext mesh = context(MESH + DATAPLANES);
        for (String name : new String[] {"web-1", "web-2", "web-3", "api-1"}) {
            assertThat(Profiles.envoy().generate(proxy(mesh, name)))
                    .as(name).isEqualTo(Profiles.envoy().generate(proxy(unshared(mesh), name)));
        }
    }

    @Test
    void aNewContextSharesNothingWithTheLastOne() {
        MeshContext before = context(MESH + DATAPLANES);
        ResourceSet generated = generator.generate(proxy(before, "web-1"));

        MeshContext after = context(MESH + DATAPLANES);

        assertThat(after.shared().size()).isZero();
        assertThat(generator.generate(proxy(after, "web-1"))).isNotSameAs(generated).isEqualTo(generated);
    }
}
