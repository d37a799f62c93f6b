package io.ursa.xds.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.xds.context.MeshContext;
import io.ursa.xds.context.MeshContextBuilder;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.context.ProxyMetadata;
import io.ursa.xds.generator.Profiles;
import io.ursa.xds.resources.EnvoyType;
import io.ursa.xds.snapshot.ProxySnapshots;
import io.ursa.xds.testing.XdsFixtures;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The state-of-the-world protocol answers each type on its own, and a proxy may take them in any order. A route
 * change that renames the clusters a proxy calls through ({@code backend} to {@code backend-_0_}) must therefore
 * never send clusters without the ones the proxy's acknowledged routes still use: the old cluster goes only after the
 * proxy has acknowledged the routes that no longer use it. Here a client takes the clusters first, as grpc-xds
 * sometimes does, which is when dropping them at once breaks its calls ({@code CDS resource backend does not exist}).
 */
class MakeBeforeBreakTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String LDS = EnvoyType.LISTENER.typeUrl();
    private static final String CDS = EnvoyType.CLUSTER.typeUrl();

    private final ProxySnapshots snapshots = new ProxySnapshots();
    private Server ads;
    private AdsTestClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (ads != null) {
            ads.shutdownNow();
        }
    }

    @Test
    void renamedClustersReplaceTheOldOnesOnlyAfterTheRoutesThatUsedThemAreAcknowledged() throws Exception {
        ads = startAds();
        MeshContext plain = context("");
        MeshContext routed = context(ROUTE_TO_V2);
        ProxyContext web = proxy(plain);
        snapshots.update(web, Profiles.grpc().generate(web));
        client = new AdsTestClient(ads.getPort(), ProxySnapshots.nodeId(web), Map.of(), Optional.empty());
        client.subscribe(LDS, List.of());
        client.subscribe(CDS, List.of());
        DiscoveryResponse listeners = client.next(LDS, WAIT);
        client.ack(listeners, List.of());
        DiscoveryResponse clusters = client.next(CDS, WAIT);
        client.ack(clusters, List.of());
        assertThat(names(clusters)).contains("backend").doesNotContain("backend-_0_");

        ProxyContext webRouted = proxy(routed);
        snapshots.update(webRouted, Profiles.grpc().generate(webRouted));

        // the client takes the clusters before the routes
        DiscoveryResponse bridge = client.next(CDS, WAIT);
        assertThat(names(bridge)).as("clusters sent while the client's routes still lead to backend")
                .contains("backend", "backend-_0_");
        client.ack(bridge, List.of());
        DiscoveryResponse newRoutes = client.next(LDS, WAIT);
        assertThat(snapshots.bridging(ProxySnapshots.nodeId(web))).as("bridging until the routes are acknowledged")
                .isTrue();
        client.ack(newRoutes, List.of());

        DiscoveryResponse after = client.next(CDS, WAIT);
        assertThat(names(after)).as("clusters once the new routes are acknowledged")
                .contains("backend-_0_").doesNotContain("backend");
        assertThat(snapshots.bridging(ProxySnapshots.nodeId(web))).isFalse();
    }

    @Test
    void aChangeThatDropsNoClusterIsSetAtOnce() throws Exception {
        MeshContext plain = context("");
        ProxyContext web = proxy(plain);
        assertThat(snapshots.update(web, Profiles.grpc().generate(web))).isTrue();
        MeshContext slower = context("""
                ---
                type: Timeout
                mesh: default
                name: web-timeout
                sources: [{match: {kuma.io/service: web}}]
                destinations: [{match: {kuma.io/service: backend}}]
                conf: {connectTimeout: 3s, http: {requestTimeout: 7s}}
                """);
        ProxyContext webSlower = proxy(slower);

        assertThat(snapshots.update(webSlower, Profiles.grpc().generate(webSlower))).isTrue();
        assertThat(snapshots.bridging(ProxySnapshots.nodeId(web))).isFalse();
    }

    private static final String ROUTE_TO_V2 = """
            ---
            type: TrafficRoute
            mesh: default
            name: web-to-v2
            sources: [{match: {kuma.io/service: web}}]
            destinations: [{match: {kuma.io/service: backend}}]
            conf:
              destination: {kuma.io/service: backend, version: v2}
            """;

    private static MeshContext context(String extra) {
        String yaml = """
                type: Mesh
                name: default
                ---
                type: Dataplane
                mesh: default
                name: backend-1
                networking:
                  address: 127.0.0.1
                  inbound:
                  - port: 10001
                    tags: {kuma.io/service: backend, kuma.io/protocol: grpc, version: v1}
                ---
                type: Dataplane
                mesh: default
                name: backend-2
                networking:
                  address: 127.0.0.1
                  inbound:
                  - port: 10002
                    tags: {kuma.io/service: backend, kuma.io/protocol: grpc, version: v2}
                ---
                type: Dataplane
                mesh: default
                name: web-1
                networking:
                  address: 127.0.0.1
                  inbound:
                  - port: 20001
                    tags: {kuma.io/service: web, kuma.io/protocol: grpc}
                ---
                type: TrafficRoute
                mesh: default
                name: route-all-default
                sources: [{match: {kuma.io/service: '*'}}]
                destinations: [{match: {kuma.io/service: '*'}}]
                conf: {destination: {kuma.io/service: '*'}}
                """ + extra;
        return new MeshContextBuilder(XdsFixtures.store(yaml), ResourceTypes.standard()).build("default")
                .orElseThrow();
    }

    private static ProxyContext proxy(MeshContext mesh) {
        return mesh.proxy("web-1").orElseThrow().withMetadata(ProxyMetadata.grpc());
    }

    /** An ADS server over {@link #snapshots} that hands acknowledgements to it, as the DP server does. */
    private Server startAds() throws Exception {
        DiscoveryServerCallbacks callbacks = new DiscoveryServerCallbacks() {
            @Override
            public void onV3StreamRequest(long streamId, DiscoveryRequest request) {
                if (!request.hasErrorDetail() && !request.getResponseNonce().isEmpty()) {
                    EnvoyType.ofTypeUrl(request.getTypeUrl()).ifPresent(type -> snapshots.acknowledged(
                            request.getNode().getId(), type, request.getVersionInfo()));
                }
            }

            @Override
            public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) {
            }
        };
        return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new V3DiscoveryServer(callbacks, snapshots.cache()).getAggregatedDiscoveryServiceImpl())
                .build().start();
    }

    private static List<String> names(DiscoveryResponse response) throws Exception {
        List<String> names = new ArrayList<>();
        for (var any : response.getResourcesList()) {
            names.add(any.unpack(Cluster.class).getName());
        }
        return names;
    }
}
