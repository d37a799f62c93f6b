package io.ursa.xds;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.CallOptions;
import io.grpc.EquivalentAddressGroup;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.NameResolverRegistry;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
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
import java.net.SocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A proxyless gRPC application (the real grpc-xds client) whose bootstrap names one xDS server target that resolves
 * to two control-plane instances, as one DNS name with an address per instance does: when the instance it is
 * connected to dies, the application keeps calling with the configuration it has, and its xDS channel (grpc's
 * pick_first over the resolved addresses) reconnects to the other instance, from which it then takes changes.
 *
 * <p>A test resolver stands in for DNS (this machine's resolver cannot be given two addresses for one name without
 * changing the system): grpc-xds dials its xDS server through the ordinary channel machinery, so a name resolver
 * that answers two addresses is what DNS with two A records gives it. Each instance is an ADS server with
 * snapshots of its own, generated from the same store, as instances on one database are.
 *
 * <p>Listing the two instances as two {@code xds_servers} instead does not do this with grpc-java 1.85: gRFC A71
 * falls back to a later server only for resources not received yet, so an application that has its configuration
 * keeps it but takes no change until the first server is back (tried with this test's setup: no change within 30 s).
 */
class GrpcXdsFailoverTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String SCHEME = "ursa-test-instances";
    private static final String NODE = "default.web-1";

    private final List<DiscoveryRequest> nacks = new CopyOnWriteArrayList<>();
    private final List<Server> servers = new ArrayList<>();
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final List<InetSocketAddress> instances = new CopyOnWriteArrayList<>();
    private final NameResolverProvider instancesResolver = new InstancesResolverProvider();

    @AfterEach
    void stop() {
        channels.forEach(ManagedChannel::shutdownNow);
        servers.forEach(Server::shutdownNow);
        NameResolverRegistry.getDefaultRegistry().deregister(instancesResolver);
    }

    @Test
    void keepsItsConfigurationWhenItsInstanceDiesAndTakesChangesFromTheOther() throws Exception {
        int backend1 = GrpcTestApps.freePort();
        int backend2 = GrpcTestApps.freePort();
        servers.add(startBackend("backend-1", backend1));
        servers.add(startBackend("backend-2", backend2));
        ProxySnapshots firstSnapshots = new ProxySnapshots();
        ProxySnapshots secondSnapshots = new ProxySnapshots();
        Server first = GrpcTestApps.startAds(firstSnapshots, nacks);
        Server second = GrpcTestApps.startAds(secondSnapshots, nacks);
        servers.add(first);
        servers.add(second);
        MeshContext before = mesh(backend1);
        update(firstSnapshots, before);
        update(secondSnapshots, before);
        instances.add(new InetSocketAddress("127.0.0.1", first.getPort()));
        instances.add(new InetSocketAddress("127.0.0.1", second.getPort()));
        NameResolverRegistry.getDefaultRegistry().register(instancesResolver);

        ManagedChannel web = channel(before);
        assertThat(call(web)).isEqualTo("backend-1");
        assertThat(firstSnapshots.cache().statusInfo(NODE)).as("pick_first: the first instance serves it").isNotNull();
        assertThat(secondSnapshots.cache().statusInfo(NODE)).isNull();

        first.shutdownNow();
        first.awaitTermination(10, SECONDS);

        // the configuration it has keeps working while it has no instance
        assertThat(call(web)).isEqualTo("backend-1");
        // a change that only the other instance has: backend moves to another port
        update(secondSnapshots, mesh(backend2));
        await().atMost(WAIT).until(() -> call(web).equals("backend-2"));
        assertThat(secondSnapshots.cache().statusInfo(NODE)).isNotNull();
        assertThat(nacks).as("resources grpc-xds rejected").isEmpty();
    }

    /** The same store seen by both instances: backend-1 serves {@code backend} on {@code backendPort}. */
    private static MeshContext mesh(int backendPort) {
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
                  - port: %d
                    tags: {kuma.io/service: backend, kuma.io/protocol: grpc}
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
                conf: {destination: {kuma.io/service: '*'}, loadBalancer: {roundRobin: {}}}
                """.formatted(backendPort);
        return new MeshContextBuilder(XdsFixtures.store(yaml), ResourceTypes.standard()).build("default")
                .orElseThrow();
    }

    private static void update(ProxySnapshots snapshots, MeshContext mesh) {
        ProxyContext proxy = mesh.proxy("web-1").orElseThrow().withMetadata(ProxyMetadata.grpc());
        snapshots.update(proxy, Profiles.grpc().generate(proxy));
    }

    /** A plain gRPC server on {@code port} that answers {@code name}; the client reaches it through EDS. */
    private static Server startBackend(String name, int port) throws Exception {
        return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                .addService(ServerServiceDefinition.builder("ursa.test.Echo")
                        .addMethod(GrpcTestApps.WHO, ServerCalls.asyncUnaryCall((request, response) -> {
                            response.onNext(name);
                            response.onCompleted();
                        }))
                        .build())
                .build()
                .start();
    }

    /** {@code xds:///backend} for web-1, whose bootstrap's xDS server is the two-instance target. */
    @SuppressWarnings("deprecation") // the per-channel resolver is the way to give one channel its own bootstrap
    private ManagedChannel channel(MeshContext mesh) {
        var bootstrap = GrpcTestApps.bootstrap(0, mesh.dataplane("web-1").orElseThrow());
        @SuppressWarnings("unchecked")
        var servers = (List<java.util.Map<String, Object>>) bootstrap.get("xds_servers");
        servers.get(0).put("server_uri", SCHEME + ":///control-plane");
        ManagedChannel channel = NettyChannelBuilder.forTarget("xds:///backend", InsecureChannelCredentials.create())
                .nameResolverFactory(XdsNameResolverProvider.createForTest("xds", bootstrap))
                .build();
        channels.add(channel);
        return channel;
    }

    private static String call(ManagedChannel channel) {
        return ClientCalls.blockingUnaryCall(channel, GrpcTestApps.WHO,
                CallOptions.DEFAULT.withDeadlineAfter(WAIT.toSeconds(), SECONDS), "who");
    }

    /** {@code ursa-test-instances:///<anything>}: every instance's address, in order, as one address list. */
    private final class InstancesResolverProvider extends NameResolverProvider {
        @Override
        public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
            if (!SCHEME.equals(targetUri.getScheme())) {
                return null;
            }
            return new NameResolver() {
                private Listener2 listener;

                @Override
                public String getServiceAuthority() {
                    return "control-plane";
                }

                @Override
                public void start(Listener2 listener) {
                    this.listener = listener;
                    resolve();
                }

                @Override
                public void refresh() {
                    resolve();
                }

                private void resolve() {
                    List<EquivalentAddressGroup> groups = new ArrayList<>();
                    for (SocketAddress address : instances) {
                        groups.add(new EquivalentAddressGroup(address));
                    }
                    listener.onResult(ResolutionResult.newBuilder().setAddresses(groups).build());
                }

                @Override
                public void shutdown() {
                }
            };
        }

        @Override
        public String getDefaultScheme() {
            return SCHEME;
        }

        @Override
        protected boolean isAvailable() {
            return true;
        }

        @Override
        protected int priority() {
            return 1; // below dns (5): never the default scheme of a target without one
        }

        @Override
        public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes() {
            return List.of(InetSocketAddress.class);
        }
    }
}
