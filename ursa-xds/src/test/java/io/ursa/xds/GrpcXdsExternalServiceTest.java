package io.ursa.xds;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.NameResolverRegistry;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.xds.XdsChannelCredentials;
import io.grpc.xds.XdsNameResolverProvider;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.xds.context.MeshContext;
import io.ursa.xds.context.MeshContextBuilder;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.context.ProxyMetadata;
import io.ursa.xds.generator.Profiles;
import io.ursa.xds.snapshot.ProxySnapshots;
import io.ursa.xds.testing.XdsFixtures;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A proxyless gRPC client in the mesh calls ExternalServices for real: plain gRPC servers outside the mesh (no xDS,
 * no sidecar) listen on 127.0.0.1, one known to the mesh by its IP address (an EDS cluster of that address) and one
 * by the host name {@code localhost} (a LOGICAL_DNS cluster the client resolves itself). The client is a grpc-xds
 * channel to {@code xds:///<service>} with {@code XdsChannelCredentials}, as in a mesh with mTLS: the clusters carry
 * no transport socket, so it speaks plaintext to the outside. An ExternalService with TLS on, which grpc-xds cannot
 * be given, fails its calls instead of reaching the server in plaintext.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GrpcXdsExternalServiceTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final List<DiscoveryRequest> nacks = new CopyOnWriteArrayList<>();
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final AtomicInteger callsOutside = new AtomicInteger();
    private Server controlPlane;
    private Server outside;
    private MeshContext mesh;

    @BeforeAll
    void start() throws Exception {
        outside = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(ServerServiceDefinition.builder("ursa.test.Echo")
                        .addMethod(GrpcTestApps.WHO, ServerCalls.asyncUnaryCall((request, response) -> {
                            callsOutside.incrementAndGet();
                            response.onNext("outside");
                            response.onCompleted();
                        }))
                        .build())
                .build()
                .start();
        ProxySnapshots snapshots = new ProxySnapshots();
        controlPlane = GrpcTestApps.startAds(snapshots, nacks);
        mesh = new MeshContextBuilder(XdsFixtures.store(meshYaml(outside.getPort())), ResourceTypes.standard())
                .build("default").orElseThrow();
        ProxyContext client = mesh.proxy("client-1").orElseThrow().withMetadata(ProxyMetadata.grpc());
        snapshots.update(client, Profiles.grpc().generate(client));
    }

    @AfterAll
    void stop() {
        channels.forEach(ManagedChannel::shutdownNow);
        if (outside != null) {
            outside.shutdownNow();
        }
        if (controlPlane != null) {
            controlPlane.shutdownNow();
        }
    }

    @Test
    void aClientInTheMeshReachesTheServerOutsideByItsIpAddress() {
        assertThat(call(channel("outside-by-ip"))).isEqualTo("outside");
        assertThat(nacks).as("resources grpc-xds rejected").isEmpty();
    }

    @Test
    void aClientInTheMeshReachesTheServerOutsideByItsHostName() {
        assertThat(call(channel("outside-by-name"))).isEqualTo("outside");
        assertThat(nacks).as("resources grpc-xds rejected").isEmpty();
    }

    @Test
    void anExternalServiceWithTlsFailsItsCallsInsteadOfSendingThemInPlaintext() {
        ManagedChannel channel = channel("outside-with-tls");
        int before = callsOutside.get();

        await().atMost(WAIT).untilAsserted(() -> assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel,
                GrpcTestApps.WHO, CallOptions.DEFAULT.withDeadlineAfter(2, SECONDS), "who"))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE)));
        assertThat(callsOutside.get()).as("calls that reached the server").isEqualTo(before);
        assertThat(nacks).as("resources grpc-xds rejected").isEmpty();
    }

    /**
     * A channel to {@code xds:///<service>} with client-1's bootstrap and the credentials of a mesh with mTLS. Its
     * own registry of name resolvers holds the xds one with that bootstrap and the default DNS one, which grpc-xds
     * asks for to resolve a LOGICAL_DNS cluster.
     */
    private ManagedChannel channel(String service) {
        NameResolverRegistry resolvers = new NameResolverRegistry();
        resolvers.register(XdsNameResolverProvider.createForTest("xds", GrpcTestApps.bootstrap(
                controlPlane.getPort(), mesh.dataplane("client-1").orElseThrow())));
        resolvers.register(NameResolverRegistry.getDefaultRegistry().getProviderForScheme("dns"));
        ManagedChannel channel = Grpc.newChannelBuilder("xds:///" + service,
                        XdsChannelCredentials.create(InsecureChannelCredentials.create()), resolvers)
                .build();
        channels.add(channel);
        return channel;
    }

    private static String call(ManagedChannel channel) {
        return ClientCalls.blockingUnaryCall(channel, GrpcTestApps.WHO,
                CallOptions.DEFAULT.withDeadlineAfter(WAIT.toSeconds(), SECONDS), "who");
    }

    private static String meshYaml(int outsidePort) {
        return """
                type: Mesh
                name: default
                ---
                type: Dataplane
                mesh: default
                name: client-1
                networking:
                  address: 127.0.0.1
                  inbound:
                  - port: 20001
                    tags: {kuma.io/service: client, kuma.io/protocol: grpc}
                ---
                type: ExternalService
                mesh: default
                name: outside-by-ip
                networking: {address: '127.0.0.1:%1$d'}
                tags: {kuma.io/service: outside-by-ip, kuma.io/protocol: grpc}
                ---
                type: ExternalService
                mesh: default
                name: outside-by-name
                networking: {address: 'localhost:%1$d'}
                tags: {kuma.io/service: outside-by-name, kuma.io/protocol: grpc}
                ---
                type: ExternalService
                mesh: default
                name: outside-with-tls
                networking: {address: '127.0.0.1:%1$d', tls: {enabled: true}}
                tags: {kuma.io/service: outside-with-tls, kuma.io/protocol: grpc}
                ---
                type: TrafficRoute
                mesh: default
                name: route-all-default
                sources: [{match: {kuma.io/service: '*'}}]
                destinations: [{match: {kuma.io/service: '*'}}]
                conf: {destination: {kuma.io/service: '*'}}
                """.formatted(outsidePort);
    }
}
