package io.ursa.xds.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.xds.context.MeshContext;
import io.ursa.xds.context.MeshContextBuilder;
import io.ursa.xds.resources.EnvoyType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cross-mesh gateways through the reconciler: a change to mesh-a's cross-mesh gateway listeners or gateway
 * Dataplanes reaches the proxies of mesh-b (mTLS on), which are rebuilt and sent the new configuration, though
 * nothing changed in mesh-b itself.
 */
class CrossMeshServerTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String CDS = EnvoyType.CLUSTER.typeUrl();
    private static final String EDS = EnvoyType.CLUSTER_LOAD_ASSIGNMENT.typeUrl();
    private static final String LDS = EnvoyType.LISTENER.typeUrl();
    private static final String SDS = EnvoyType.SECRET.typeUrl();
    private static final String CLUSTER = "edge-gateway-_0__mesh-a";

    private final AtomicReference<Map<String, ?>> last = new AtomicReference<>(Map.of());
    private MtlsXdsServer mtls;

    @BeforeEach
    void start() throws Exception {
        mtls = MtlsXdsServer.start();
    }

    @AfterEach
    void stop() {
        mtls.close();
    }

    @Test
    void changesToAnotherMeshsCrossMeshGatewayAreSentToTheProxiesThatReachIt() throws Exception {
        apply(builtinMesh("mesh-a"));
        apply(builtinMesh("mesh-b"));
        AdsTestClient web = connect("mesh-b.web-1", sidecar("mesh-b", "web-1"));
        web.subscribe(CDS, List.of());
        web.subscribe(LDS, List.of());
        await().atMost(WAIT).until(() -> clusters(web).containsKey("web"));
        assertThat(last.get().keySet()).noneMatch(name -> name.contains("mesh-a"));
        assertThat(listenerPorts(web)).doesNotContain(8080);

        apply(gateway("true"));

        await().atMost(WAIT).until(() -> clusters(web).containsKey(CLUSTER));
        web.subscribe(EDS, List.of(CLUSTER));
        assertThat(endpoints(web)).as("no gateway Dataplane yet").isEmpty();

        apply(gatewayDataplane("192.168.1.10"));

        AtomicReference<List<String>> seen = new AtomicReference<>(List.of());
        await().atMost(WAIT).until(() -> {
            seen.set(endpoints(web));
            return !seen.get().isEmpty();
        });
        assertThat(seen.get()).containsExactly("192.168.1.10:8080");

        await().atMost(WAIT).until(() -> listenerPorts(web).contains(8080));

        apply(gateway("false"));

        await().atMost(WAIT).until(() -> !listenerPorts(web).contains(8080));
    }

    @Test
    void twoBuiltinCaMeshesWithoutACrossMeshListenerGiveEachOtherNothing() throws Exception {
        apply(builtinMesh("mesh-a"));
        apply(builtinMesh("mesh-b"));
        apply(gateway("false"));
        apply(gatewayDataplane("192.168.1.10"));
        apply("type: Dataplane\nmesh: mesh-a\nname: api-1\nnetworking:\n  address: 192.168.1.20\n  inbound:\n"
                + "  - port: 8080\n    tags: {kuma.io/service: api, kuma.io/protocol: http}\n");
        AdsTestClient web = connect("mesh-b.web-1", sidecar("mesh-b", "web-1"));
        web.subscribe(CDS, List.of());
        web.subscribe(LDS, List.of());
        List<String> secrets = List.of("identity_cert:secret:mesh-b", "mesh_ca:secret:mesh-b",
                "mesh_ca:secret:mesh-a");
        web.subscribe(SDS, secrets);

        await().atMost(WAIT).until(() -> clusters(web).containsKey("web"));
        DiscoveryResponse served = web.next(SDS, WAIT);

        assertThat(last.get().keySet()).noneMatch(name -> name.contains("mesh-a") || name.contains("api"));
        assertThat(listenerPorts(web)).doesNotContain(8080);
        assertThat(served.getResourcesList()).extracting(any -> any.unpack(Secret.class).getName())
                .containsExactlyInAnyOrder("identity_cert:secret:mesh-b", "mesh_ca:secret:mesh-b");
    }

    @Test
    void aMeshThatDoesNotReachTheGatewayIsNotRebuiltForIt() throws Exception {
        apply(builtinMesh("mesh-a"));
        apply(builtinMesh("mesh-b"));
        apply("type: Mesh\nname: mesh-c\n");
        AdsTestClient web = connect("mesh-b.web-1", sidecar("mesh-b", "web-1"));
        web.subscribe(CDS, List.of());
        AdsTestClient plain = connect("mesh-c.web-1", sidecar("mesh-c", "web-1"));
        plain.subscribe(CDS, List.of());
        await().atMost(WAIT).until(() -> clusters(web).containsKey("web"));
        apply(gateway("true"));
        await().atMost(WAIT).until(() -> clusters(web).containsKey(CLUSTER));

        assertThat(CrossMeshRebuilds.after("mesh-a", Optional.empty(), Optional.empty(),
                Set.of("mesh-b", "mesh-c"), Map.of())).as("nothing offered before or after").isEmpty();
        MeshContextBuilder builder = new MeshContextBuilder(mtls.manager().store(), ResourceTypes.standard());
        Map<String, MeshContext> contexts = Map.of(
                "mesh-b", builder.build("mesh-b").orElseThrow(), "mesh-c", builder.build("mesh-c").orElseThrow());
        assertThat(CrossMeshRebuilds.after("mesh-a", Optional.empty(), builder.build("mesh-a"),
                Set.of("mesh-a", "mesh-b", "mesh-c"), contexts))
                .as("mesh-c has mTLS off: it reaches nothing").containsExactly("mesh-b");
        assertThat(CrossMeshRebuilds.after("mesh-a", builder.build("mesh-a"), builder.build("mesh-a"),
                Set.of("mesh-a", "mesh-b", "mesh-c"), contexts)).as("nothing offered changed").isEmpty();
        assertThat(clusters(plain).keySet()).noneMatch(name -> name.contains("mesh-a"));
    }

    /** The clusters of the next CDS response, acknowledged. */
    private Map<String, ?> clusters(AdsTestClient client) throws InterruptedException {
        DiscoveryResponse response = client.next(CDS, WAIT);
        client.ack(response, List.of());
        Map<String, Object> byName = new TreeMap<>();
        response.getResourcesList().forEach(any -> {
            try {
                byName.put(any.unpack(Cluster.class).getName(), any);
            } catch (InvalidProtocolBufferException e) {
                throw new AssertionError(e);
            }
        });
        last.set(byName);
        return byName;
    }

    /** The ports of the outbound listeners of the next LDS response, acknowledged. */
    private static List<Integer> listenerPorts(AdsTestClient client) throws Exception {
        DiscoveryResponse response = client.next(LDS, WAIT);
        client.ack(response, List.of());
        List<Integer> ports = new ArrayList<>();
        for (var any : response.getResourcesList()) {
            Listener listener = any.unpack(Listener.class);
            if (listener.getName().startsWith("outbound:")) {
                ports.add(listener.getAddress().getSocketAddress().getPortValue());
            }
        }
        return ports;
    }

    /** The endpoints of the next EDS response, acknowledged. */
    private static List<String> endpoints(AdsTestClient client) throws Exception {
        DiscoveryResponse response = client.next(EDS, WAIT);
        client.ack(response, List.of(CLUSTER));
        List<String> endpoints = new ArrayList<>();
        for (var any : response.getResourcesList()) {
            ClusterLoadAssignment cla = any.unpack(ClusterLoadAssignment.class);
            cla.getEndpointsList().forEach(locality -> locality.getLbEndpointsList().forEach(e -> endpoints.add(
                    e.getEndpoint().getAddress().getSocketAddress().getAddress() + ":"
                            + e.getEndpoint().getAddress().getSocketAddress().getPortValue())));
        }
        return endpoints;
    }

    private AdsTestClient connect(String nodeId, String definition) {
        return mtls.connect(nodeId, definition, Map.of());
    }

    private static String builtinMesh(String name) {
        return XdsServerMtlsTest.builtinMesh(name, "24h");
    }

    private static String gateway(String crossMesh) {
        return "type: MeshGateway\nmesh: mesh-a\nname: edge\nselectors:\n- match: {kuma.io/service: edge-gateway}\n"
                + "conf:\n  listeners:\n  - port: 8080\n    protocol: HTTP\n    hostname: edge.mesh-a.test\n"
                + "    crossMesh: " + crossMesh + "\n";
    }

    private static String gatewayDataplane(String address) {
        return "type: Dataplane\nmesh: mesh-a\nname: edge-gateway-1\nnetworking:\n  address: " + address + "\n"
                + "  gateway:\n    type: BUILTIN\n    tags: {kuma.io/service: edge-gateway}\n";
    }

    private static String sidecar(String mesh, String name) {
        return "{\"type\":\"Dataplane\",\"mesh\":\"" + mesh + "\",\"name\":\"" + name + "\",\"networking\":"
                + "{\"address\":\"10.0.0.1\",\"inbound\":[{\"port\":8080,\"tags\":{\"kuma.io/service\":\"web\","
                + "\"kuma.io/protocol\":\"http\"}}],\"transparentProxying\":{\"redirectPortInbound\":15006,"
                + "\"redirectPortOutbound\":15001}}}";
    }

    private void apply(String text) {
        mtls.apply(text);
    }
}
