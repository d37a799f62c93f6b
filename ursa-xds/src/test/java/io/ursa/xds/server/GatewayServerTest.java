package io.ursa.xds.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Any;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Status;
import io.ursa.api.dataplane.GrpcBootstrap;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.xds.envoy.EnvoyJson;
import io.ursa.xds.resources.EnvoyType;
import io.ursa.xds.testing.StrictEnvoyProtos;
import io.ursa.xds.testing.XdsFixtures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A builtin gateway proxy on the real DP server: it receives its listeners, its route configurations over RDS, its
 * clusters, endpoints and certificate secrets, and what the API shows as its served configuration is what it got.
 */
class GatewayServerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LDS = EnvoyType.LISTENER.typeUrl();
    private static final String RDS = EnvoyType.ROUTE_CONFIGURATION.typeUrl();
    private static final String CDS = EnvoyType.CLUSTER.typeUrl();
    private static final String EDS = EnvoyType.CLUSTER_LOAD_ASSIGNMENT.typeUrl();
    private static final String SDS = EnvoyType.SECRET.typeUrl();
    private static final String GATEWAY = """
            {"type":"Dataplane","mesh":"default","name":"edge-1","networking":{"address":"10.0.0.1",
             "gateway":{"type":"BUILTIN","tags":{"kuma.io/service":"edge"}}}}""";

    private ServerFixture fixture;
    private XdsServer server;

    @BeforeEach
    void start() throws Exception {
        // the full gateway case without mesh mTLS and without the gateway Dataplane, which its proxy brings
        fixture = ServerFixture.withResources(XdsFixtures.read(XdsFixtures.TESTDATA.resolve("gateway/full.input.yaml"))
                .replaceFirst("(?s)mtls:.*?---", "---")
                .replaceFirst("(?s)type: Dataplane\nmesh: default\nname: edge-1.*?---\n", ""));
        server = fixture.server;
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void aGatewayReceivesListenersRoutesClustersEndpointsAndSecretsAndItsInspectionIsWhatItGot() throws Exception {
        AdsTestClient proxy = connect(Map.of(AdsCallbacks.DATAPLANE_RESOURCE, GATEWAY));
        Map<String, Map<String, Message>> received = new TreeMap<>();

        proxy.subscribe(CDS, List.of());
        DiscoveryResponse clusters = proxy.next(CDS, WAIT);
        List<String> edsNames = new ArrayList<>();
        for (Cluster cluster : unpack(clusters, Cluster.class, received)) {
            if (cluster.getType() == Cluster.DiscoveryType.EDS) {
                edsNames.add(cluster.getName());
            }
        }
        proxy.ack(clusters, List.of());
        proxy.subscribe(EDS, edsNames);
        DiscoveryResponse endpoints = proxy.next(EDS, WAIT);
        unpack(endpoints, io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment.class, received);
        proxy.ack(endpoints, edsNames);

        proxy.subscribe(LDS, List.of());
        DiscoveryResponse listeners = proxy.next(LDS, WAIT);
        TreeSet<String> rdsNames = new TreeSet<>();
        TreeSet<String> sdsNames = new TreeSet<>();
        for (Listener listener : unpack(listeners, Listener.class, received)) {
            sdsNames.addAll(StrictEnvoyProtos.sdsSecretsIn(listener));
            for (var chain : listener.getFilterChainsList()) {
                for (Filter filter : chain.getFiltersList()) {
                    if (filter.getTypedConfig().is(HttpConnectionManager.class)) {
                        rdsNames.add(filter.getTypedConfig().unpack(HttpConnectionManager.class).getRds()
                                .getRouteConfigName());
                    }
                }
            }
        }
        proxy.ack(listeners, List.of());
        proxy.subscribe(RDS, List.copyOf(rdsNames));
        DiscoveryResponse routes = proxy.next(RDS, WAIT);
        unpack(routes, io.envoyproxy.envoy.config.route.v3.RouteConfiguration.class, received);
        proxy.subscribe(SDS, List.copyOf(sdsNames));
        DiscoveryResponse secrets = proxy.next(SDS, WAIT);
        unpack(secrets, io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret.class, received);

        assertThat(received.get(LDS)).containsOnlyKeys("edge-gateway:HTTP:8080", "edge-gateway:HTTPS:8443",
                "edge-gateway:TCP:9000");
        assertThat(rdsNames).containsExactly("edge-gateway:HTTP:8080", "edge-gateway:HTTPS:8443");
        assertThat(received.get(RDS)).containsOnlyKeys(rdsNames.toArray(String[]::new));
        assertThat(received.get(SDS)).containsOnlyKeys("cert.ecdsa:secret:www-example-com",
                "cert.rsa:secret:api-example-com");
        assertThat(received.get(EDS).keySet()).containsExactlyInAnyOrderElementsOf(edsNames);
        assertThat(edsNames).anyMatch(n -> n.startsWith("web-")).anyMatch(n -> n.startsWith("db-"));

        JsonNode served = server.servedConfig("default", "edge-1").orElseThrow();
        Map<String, Map<String, JsonNode>> shown = new TreeMap<>();
        served.path("resources").forEach(entry -> shown.computeIfAbsent(entry.path("type").asText(),
                t -> new TreeMap<>()).put(entry.path("name").asText(), entry.path("resource")));
        assertThat(shown.keySet()).isEqualTo(received.keySet());
        for (var type : received.entrySet()) {
            assertThat(shown.get(type.getKey())).as(type.getKey()).containsOnlyKeys(type.getValue().keySet()
                    .toArray(String[]::new));
            if (!type.getKey().equals(SDS)) { // the API redacts private keys
                type.getValue().forEach((name, resource) -> assertThat(shown.get(type.getKey()).get(name))
                        .as(name).isEqualTo(read(EnvoyJson.print(resource))));
            }
        }
        assertThat(served.path("versions").path(RDS).asText()).isEqualTo(routes.getVersionInfo());
        assertThat(served.path("versions").path(SDS).asText()).isEqualTo(secrets.getVersionInfo());

        assertThat(server.matchedPolicies("default", "edge-1").orElseThrow().path("kind").asText())
                .isEqualTo("MeshGatewayDataplane");
        assertThat(server.gatewayDataplanes("default", "edge-gateway").orElseThrow().at("/items/0/dataplane/name")
                .asText()).isEqualTo("edge-1");
        assertThat(server.gatewayRouteDataplanes("default", "https-api").orElseThrow().path("total").asInt())
                .isEqualTo(1);
        assertThat(server.gatewayDataplanes("default", "ghost")).isEmpty();
    }

    @Test
    void refusesAProxylessGrpcApplicationWhoseDataplaneIsABuiltinGateway() throws Exception {
        AdsTestClient proxy = connect(Map.of(AdsCallbacks.DATAPLANE_RESOURCE, GATEWAY,
                GrpcBootstrap.PROXYLESS_KIND_METADATA_KEY, GrpcBootstrap.PROXYLESS_KIND_GRPC));
        proxy.subscribe(LDS, List.of());

        var error = proxy.error(WAIT);
        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(error.getStatus().getDescription()).contains("is a builtin gateway");
        assertThat(fixture.manager.get(ResourceTypes.DATAPLANE, "default", "edge-1")).isEmpty();
    }

    private AdsTestClient connect(Map<String, String> metadata) {
        return fixture.connect("default.edge-1", metadata);
    }

    private static <M extends Message> List<M> unpack(DiscoveryResponse response, Class<M> type,
                                                      Map<String, Map<String, Message>> into) throws Exception {
        List<M> list = new ArrayList<>();
        for (Any any : response.getResourcesList()) {
            M message = any.unpack(type);
            list.add(message);
            into.computeIfAbsent(response.getTypeUrl(), t -> new TreeMap<>())
                    .put(EnvoyType.ofTypeUrl(response.getTypeUrl()).orElseThrow().nameOf(message), message);
        }
        return list;
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
