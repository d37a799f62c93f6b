package io.ursa.xds.generator;

import static org.assertj.core.api.Assertions.assertThat;

import io.ursa.api.resource.ResourceTypes;
import io.ursa.xds.context.Endpoint;
import io.ursa.xds.context.MeshContext;
import io.ursa.xds.context.MeshContextBuilder;
import io.ursa.xds.testing.XdsFixtures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The per-context protocol table gives what inferring over the concatenated endpoint lists of the services gives,
 * including services without endpoints, and is computed once per context.
 */
class ServiceProtocolsTest {
    private static final String MESH = """
            type: Mesh
            name: default
            ---
            type: Dataplane
            mesh: default
            name: mixed-1
            networking:
              address: 10.0.0.1
              inbound: [{port: 8080, tags: {kuma.io/service: mixed, kuma.io/protocol: http}}]
            ---
            type: Dataplane
            mesh: default
            name: mixed-2
            networking:
              address: 10.0.0.2
              inbound: [{port: 8080, tags: {kuma.io/service: mixed, kuma.io/protocol: http2}}]
            ---
            type: Dataplane
            mesh: default
            name: grpc-1
            networking:
              address: 10.0.0.3
              inbound: [{port: 8080, tags: {kuma.io/service: grpc, kuma.io/protocol: grpc}}]
            ---
            type: Dataplane
            mesh: default
            name: h2-1
            networking:
              address: 10.0.0.4
              inbound: [{port: 8080, tags: {kuma.io/service: h2, kuma.io/protocol: http2}}]
            ---
            type: Dataplane
            mesh: default
            name: untagged-1
            networking:
              address: 10.0.0.5
              inbound: [{port: 8080, tags: {kuma.io/service: untagged}}]
            ---
            type: ExternalService
            mesh: default
            name: httpbin
            tags: {kuma.io/service: httpbin, kuma.io/protocol: http}
            networking: {address: httpbin.org:80}
            """;

    @Test
    void givesWhatInferringOverTheConcatenatedEndpointsGives() {
        MeshContext mesh = new MeshContextBuilder(XdsFixtures.store(MESH), ResourceTypes.standard()).build("default")
                .orElseThrow();
        ServiceProtocols protocols = ServiceProtocols.of(mesh);
        List<String> services = List.of("mixed", "grpc", "h2", "untagged", "httpbin", "none");

        for (String a : services) {
            assertThat(protocols.of(a)).as(a).isEqualTo(ServiceProtocol.infer(endpoints(mesh, List.of(a))));
            for (String b : services) {
                List<String> both = List.of(a, b);
                assertThat(protocols.of(both)).as(a + ", " + b).isEqualTo(ServiceProtocol.infer(endpoints(mesh, both)));
            }
        }
        assertThat(protocols.of(List.of("grpc", "none", "h2"))).isEqualTo(ServiceProtocol.HTTP2);
        assertThat(protocols.of("none")).isEqualTo(ServiceProtocol.UNKNOWN);
        assertThat(protocols.of("httpbin")).isEqualTo(ServiceProtocol.HTTP);
        assertThat(ServiceProtocols.of(mesh)).isSameAs(protocols);
    }

    private static List<Endpoint> endpoints(MeshContext mesh, List<String> services) {
        List<Endpoint> all = new ArrayList<>();
        for (String service : services) {
            all.addAll(mesh.endpoints(service));
            mesh.externalEndpoints(service).forEach(e -> all.add(e.asEndpoint()));
        }
        return all;
    }
}
