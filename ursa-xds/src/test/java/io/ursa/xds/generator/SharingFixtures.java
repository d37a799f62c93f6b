package io.ursa.xds.generator;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.xds.context.MeshContext;
import io.ursa.xds.context.MeshContextBuilder;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.context.SharedResources;
import io.ursa.xds.envoy.Protos;
import io.ursa.xds.resources.ResourceSet;
import io.ursa.xds.testing.XdsFixtures;

/** Mesh contexts for the tests of what proxies share: built from YAML, and copies that share nothing. */
final class SharingFixtures {
    /** A TrafficRoute and a Timeout for all traffic, as a mesh's defaults are. */
    static final String ROUTE_AND_TIMEOUT_FOR_ALL = """
            ---
            type: TrafficRoute
            mesh: default
            name: route-all
            sources: [{match: {kuma.io/service: '*'}}]
            destinations: [{match: {kuma.io/service: '*'}}]
            conf: {destination: {kuma.io/service: '*'}}
            ---
            type: Timeout
            mesh: default
            name: timeout-all
            sources: [{match: {kuma.io/service: '*'}}]
            destinations: [{match: {kuma.io/service: '*'}}]
            conf: {connectTimeout: 5s, http: {requestTimeout: 15s}}
            """;

    /** Mesh {@code default} with mTLS on (STRICT), signed by the provided test CA. */
    static final String MTLS_MESH = """
            type: Mesh
            name: default
            mtls:
              enabledBackend: ca-1
              backends:
              - name: ca-1
                type: provided
                conf:
                  cert: {file: src/test/resources/testdata/xds/mtls/ca.pem}
                  key: {file: src/test/resources/testdata/xds/mtls/ca.key.pem}
            """;

    private SharingFixtures() {
    }

    /** The context of mesh {@code default} of the resources in {@code yaml}. */
    static MeshContext context(String yaml) {
        return new MeshContextBuilder(XdsFixtures.store(yaml), ResourceTypes.standard()).build("default")
                .orElseThrow();
    }

    /** The same context with nothing shared: what a proxy would get if it were generated alone. */
    static MeshContext unshared(MeshContext mesh) {
        return new MeshContext(mesh.mesh(), mesh.dataplanes(), mesh.endpoints(), mesh.applicationEndpoints(),
                mesh.policies(), mesh.externalEndpoints(), mesh.mtls(), mesh.vips(), mesh.crossMesh(), mesh.hash(),
                new SharedResources());
    }

    /** The proxy of Dataplane {@code name}. */
    static ProxyContext proxy(MeshContext mesh, String name) {
        return mesh.proxy(name).orElseThrow();
    }

    /**
     * Checks that {@code generated}, what {@code generator} gave proxy {@code name} of {@code mesh}, is what it gives
     * that proxy generated alone, listeners byte for byte.
     */
    static void assertAsIfAlone(Generator generator, MeshContext mesh, String name, ResourceSet generated) {
        ResourceSet alone = generator.generate(proxy(unshared(mesh), name));
        assertThat(generated).as(name).isEqualTo(alone);
        for (Listener listener : generated.resources(Listener.class)) {
            assertThat(Protos.deterministicBytes(listener)).as(listener.getName())
                    .isEqualTo(Protos.deterministicBytes(listener(alone, listener.getName())));
        }
    }

    /** The listener {@code name} of {@code resources}. */
    static Listener listener(ResourceSet resources, String name) {
        return resources.get(Listener.class, name).orElseThrow();
    }
}
