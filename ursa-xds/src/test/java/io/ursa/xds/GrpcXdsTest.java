package io.ursa.xds;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.common.util.concurrent.ListenableFuture;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.CallOptions;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.xds.XdsNameResolverProvider;
import io.grpc.xds.XdsServerBuilder;
import io.grpc.xds.XdsServerCredentials;
import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.xds.context.MeshContext;
import io.ursa.xds.context.MeshContextBuilder;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.context.ProxyMetadata;
import io.ursa.xds.generator.Profiles;
import io.ursa.xds.snapshot.ProxySnapshots;
import io.ursa.xds.testing.XdsFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The proxyless profile against the real thing: a java-control-plane ADS server fed with the snapshots of
 * {@link Profiles#grpc()} (through {@link ProxySnapshots}, so through the consistency check), two
 * {@code XdsServerBuilder} servers registered as the two endpoints of {@code backend}, and grpc-xds channels to
 * {@code xds:///backend}. Every application has its own node identity: grpc-xds keeps one XdsClient per bootstrap
 * override, for a channel ({@code XdsNameResolverProvider.createForTest}) as for a server
 * ({@code XdsServerBuilder.overrideBootstrapForTest}). The identities matter: a server asks its own snapshot for
 * its listener, and only the canary client's snapshot has the 80/20 split, only the chaos client's a FaultInjection
 * aborting half its calls, only the slow client's one delaying them, and only the router client's an HTTP route
 * on a header.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GrpcXdsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final List<DiscoveryRequest> nacks = new CopyOnWriteArrayList<>();
    private final Map<String, CountDownLatch> serving = new ConcurrentHashMap<>();
    private final List<Server> servers = new ArrayList<>();
    private final List<ManagedChannel> channels = new ArrayList<>();
    private Server controlPlane;
    private ManagedChannel web;
    private ManagedChannel canary;
    private ManagedChannel chaos;
    private ManagedChannel slow;
    private ManagedChannel router;
    private ManagedChannel healer;

    @BeforeAll
    void startMesh() throws Exception {
        ProxySnapshots snapshots = new ProxySnapshots();
        controlPlane = GrpcTestApps.startAds(snapshots, nacks);
        int backend1 = GrpcTestApps.freePort();
        int backend2 = GrpcTestApps.freePort();
        int flaky1 = GrpcTestApps.freePort();
        int flaky2 = GrpcTestApps.freePort();
        MeshContext mesh = new MeshContextBuilder(XdsFixtures.store(meshYaml(backend1, backend2, flaky1, flaky2)),
                ResourceTypes.standard()).build("default").orElseThrow();
        for (Resource<DataplaneSpec> dataplane : mesh.dataplanes()) {
            ProxyContext proxy = mesh.proxy(dataplane.name()).orElseThrow().withMetadata(ProxyMetadata.grpc());
            snapshots.update(proxy, Profiles.grpc().generate(proxy));
        }
        servers.add(startServer(mesh, "backend-1", backend1));
        servers.add(startServer(mesh, "backend-2", backend2));
        servers.add(startServer(mesh, "flaky-1", flaky1));
        servers.add(startServer(mesh, "flaky-2", flaky2, Status.UNAVAILABLE.withDescription("flaky-2 always fails")));
        web = channel(mesh, "web-1");
        canary = channel(mesh, "canary-1");
        chaos = channel(mesh, "chaos-1");
        slow = channel(mesh, "slow-1");
        router = channel(mesh, "router-1");
        healer = channel(mesh, "healer-1", "flaky");
    }

    @AfterAll
    void stopMesh() {
        channels.forEach(ManagedChannel::shutdownNow);
        servers.forEach(Server::shutdownNow);
        if (controlPlane != null) {
            controlPlane.shutdownNow();
        }
    }

    @Test
    void eachXdsServerReceivesItsListenerAndServes() {
        assertThat(serving.get("backend-1").getCount()).isZero();
        assertThat(serving.get("backend-2").getCount()).isZero();
        assertThat(servers).allSatisfy(server -> assertThat(server.getListenSockets()).isNotEmpty());
    }

    @Test
    void callsToXdsBackendSucceedAndLandOnBothInstances() {
        Set<String> answered = ConcurrentHashMap.newKeySet();

        await().atMost(WAIT).untilAsserted(() -> {
            answered.add(call(web));
            assertThat(answered).containsExactlyInAnyOrder("backend-1", "backend-2");
        });
        assertThat(nacks).as("resources grpc-xds rejected").isEmpty();
    }

    @Test
    void aTrafficRouteSplitSendsEightyPercentToVersionOne() throws Exception {
        assertThat(call(canary)).isIn("backend-1", "backend-2");

        List<ListenableFuture<String>> calls = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            calls.add(ClientCalls.futureUnaryCall(canary.newCall(GrpcTestApps.WHO, callOptions()), "who"));
        }
        List<String> answers = new ArrayList<>();
        for (ListenableFuture<String> call : calls) {
            answers.add(call.get(WAIT.toSeconds(), SECONDS));
        }
        Map<String, Long> counts = answers.stream().collect(Collectors.groupingBy(Function.identity(),
                Collectors.counting()));

        assertThat(counts.getOrDefault("backend-1", 0L)).as("calls on v1 of %s", counts).isBetween(750L, 850L);
        assertThat(counts.getOrDefault("backend-1", 0L) + counts.getOrDefault("backend-2", 0L)).isEqualTo(1000);
        assertThat(nacks).as("resources grpc-xds rejected").isEmpty();
    }

    @Test
    void aFaultInjectionAbortingHalfTheCallsFailsAboutHalfOfThemWithTheStatusItMapsTo() throws Exception {
        List<ListenableFuture<String>> calls = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            calls.add(ClientCalls.futureUnaryCall(chaos.newCall(GrpcTestApps.WHO, callOptions()), "who"));
        }
        Map<Status.Code, Long> outcomes = new java.util.TreeMap<>();
        for (ListenableFuture<String> call : calls) {
            Status.Code code;
            try {
                call.get(WAIT.toSeconds(), SECONDS);
                code = Status.Code.OK;
            } catch (java.util.concurrent.ExecutionException e) {
                code = Status.fromThrowable(e.getCause()).getCode();
            }
            outcomes.merge(code, 1L, Long::sum);
        }

        // HTTP 503 is UNAVAILABLE in gRPC (gRFC A33); the web client, which no FaultInjection selects, is untouched
        assertThat(outcomes.keySet()).as("outcomes %s", outcomes).containsOnly(Status.Code.OK, Status.Code.UNAVAILABLE);
        assertThat(outcomes.get(Status.Code.UNAVAILABLE)).as("aborted calls of %s", outcomes).isBetween(400L, 600L);
        assertThat(call(web)).isIn("backend-1", "backend-2");
        assertThat(nacks).as("resources grpc-xds rejected").isEmpty();
    }

    @Test
    void anHttpRouteOnAHeaderSendsThoseCallsToVersionTwoOnlyAndTheRestToBoth() {
        Metadata v2 = new Metadata();
        v2.put(Metadata.Key.of("x-version", Metadata.ASCII_STRING_MARSHALLER), "v2");
        io.grpc.Channel withHeader = io.grpc.ClientInterceptors.intercept(router,
                io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(v2));
        Set<String> withoutHeader = ConcurrentHashMap.newKeySet();

        for (int i = 0; i < 50; i++) {
            assertThat(ClientCalls.blockingUnaryCall(withHeader, GrpcTestApps.WHO, callOptions(), "who"))
                    .as("a call with x-version: v2").isEqualTo("backend-2");
        }
        await().atMost(WAIT).untilAsserted(() -> {
            withoutHeader.add(call(router));
            assertThat(withoutHeader).containsExactlyInAnyOrder("backend-1", "backend-2");
        });
        assertThat(nacks).as("resources grpc-xds rejected").isEmpty();
    }

    @Test
    void outlierDetectionEjectsTheInstanceThatFailsEveryCall() {
        // Until the failure-percentage detector has seen enough calls, round robin gives flaky-2 its share
        await().atMost(WAIT).untilAsserted(() -> {
            List<String> answers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                try {
                    answers.add(call(healer));
                } catch (io.grpc.StatusRuntimeException e) {
                    answers.add(e.getStatus().getCode().name());
                }
            }
            assertThat(answers).as("20 calls once flaky-2 is ejected").containsOnly("flaky-1");
        });
        assertThat(nacks).as("resources grpc-xds rejected").isEmpty();
    }

    @Test
    void aFaultInjectionDelayHoldsEveryCallOfTheCallerItSelects() {
        assertThat(call(slow)).isIn("backend-1", "backend-2");

        for (int i = 0; i < 3; i++) {
            long started = System.nanoTime();
            call(slow);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("a call delayed by 0.3 s")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(300));
        }
        assertThat(nacks).as("resources grpc-xds rejected").isEmpty();
    }

    private Server startServer(MeshContext mesh, String name, int port) throws Exception {
        return startServer(mesh, name, port, Status.OK);
    }

    /** A server that answers who it is, or fails every call with {@code status} when it is not OK. */
    private Server startServer(MeshContext mesh, String name, int port, Status status) throws Exception {
        CountDownLatch latch = new CountDownLatch(1);
        serving.put(name, latch);
        Server server = XdsServerBuilder.forPort(port, XdsServerCredentials.create(InsecureServerCredentials.create()))
                .overrideBootstrapForTest(bootstrap(mesh, name))
                .xdsServingStatusListener(new XdsServerBuilder.XdsServingStatusListener() {
                    @Override
                    public void onServing() {
                        latch.countDown();
                    }

                    @Override
                    public void onNotServing(Throwable throwable) {
                    }
                })
                .addService(ServerServiceDefinition.builder("ursa.test.Echo")
                        .addMethod(GrpcTestApps.WHO, ServerCalls.asyncUnaryCall((request, response) -> {
                            if (!status.isOk()) {
                                response.onError(status.asRuntimeException());
                                return;
                            }
                            response.onNext(name);
                            response.onCompleted();
                        }))
                        .build())
                .build();
        // start() returns only once the server has its listener from the control plane (stack-notes P11), so it
        // runs on its own thread and a missing listener fails the wait instead of hanging the test.
        CompletableFuture<Void> started = CompletableFuture.runAsync(() -> {
            try {
                server.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        started.get(WAIT.toSeconds(), SECONDS);
        await().atMost(WAIT).until(() -> latch.getCount() == 0);
        return server;
    }

    /**
     * A channel to {@code xds:///backend} whose resolver has the bootstrap of Dataplane {@code name}. Not through
     * {@code Grpc.newChannelBuilder}: that pins the default registry's xds resolver, whose bootstrap is global.
     */
    @SuppressWarnings("deprecation") // the per-channel resolver is the way to give one channel its own node
    private ManagedChannel channel(MeshContext mesh, String name) {
        return channel(mesh, name, "backend");
    }

    /** Like {@link #channel(MeshContext, String)}, to {@code xds:///<service>}. */
    @SuppressWarnings("deprecation")
    private ManagedChannel channel(MeshContext mesh, String name, String service) {
        ManagedChannel channel = NettyChannelBuilder.forTarget("xds:///" + service, InsecureChannelCredentials.create())
                .nameResolverFactory(XdsNameResolverProvider.createForTest("xds", bootstrap(mesh, name)))
                .build();
        channels.add(channel);
        return channel;
    }

    private Map<String, ?> bootstrap(MeshContext mesh, String name) {
        return GrpcTestApps.bootstrap(controlPlane.getPort(), mesh.dataplane(name).orElseThrow());
    }

    private static String call(ManagedChannel channel) {
        return ClientCalls.blockingUnaryCall(channel, GrpcTestApps.WHO, callOptions(), "who");
    }

    private static CallOptions callOptions() {
        return CallOptions.DEFAULT.withDeadlineAfter(WAIT.toSeconds(), SECONDS);
    }

    /**
     * Two backends (v1, v2) serving on their inbound ports, two clients (web, canary), the default policies, and a
     * TrafficRoute that splits canary's calls to backend 80/20 between the versions. The clients' inbounds are
     * needed to match policies by source; nothing listens on them.
     */
    private static String meshYaml(int backend1, int backend2, int flaky1, int flaky2) {
        return """
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
                    tags: {kuma.io/service: backend, kuma.io/protocol: grpc, version: v1}
                ---
                type: Dataplane
                mesh: default
                name: backend-2
                networking:
                  address: 127.0.0.1
                  inbound:
                  - port: %d
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
                type: Dataplane
                mesh: default
                name: canary-1
                networking:
                  address: 127.0.0.1
                  inbound:
                  - port: 20002
                    tags: {kuma.io/service: canary, kuma.io/protocol: grpc}
                ---
                type: Dataplane
                mesh: default
                name: chaos-1
                networking:
                  address: 127.0.0.1
                  inbound:
                  - port: 20003
                    tags: {kuma.io/service: chaos, kuma.io/protocol: grpc}
                ---
                type: Dataplane
                mesh: default
                name: slow-1
                networking:
                  address: 127.0.0.1
                  inbound:
                  - port: 20004
                    tags: {kuma.io/service: slow, kuma.io/protocol: grpc}
                ---
                type: Dataplane
                mesh: default
                name: flaky-1
                networking:
                  address: 127.0.0.1
                  inbound:
                  - port: %d
                    tags: {kuma.io/service: flaky, kuma.io/protocol: grpc}
                ---
                type: Dataplane
                mesh: default
                name: flaky-2
                networking:
                  address: 127.0.0.1
                  inbound:
                  - port: %d
                    tags: {kuma.io/service: flaky, kuma.io/protocol: grpc}
                ---
                type: Dataplane
                mesh: default
                name: healer-1
                networking:
                  address: 127.0.0.1
                  inbound:
                  - port: 20006
                    tags: {kuma.io/service: healer, kuma.io/protocol: grpc}
                ---
                type: CircuitBreaker
                mesh: default
                name: healer-ejects-failing
                sources: [{match: {kuma.io/service: healer}}]
                destinations: [{match: {kuma.io/service: flaky}}]
                conf:
                  interval: 1s
                  baseEjectionTime: 300s
                  maxEjectionPercent: 50
                  detectors:
                    failure: {requestVolume: 10, minimumHosts: 2, threshold: 50}
                ---
                type: Dataplane
                mesh: default
                name: router-1
                networking:
                  address: 127.0.0.1
                  inbound:
                  - port: 20005
                    tags: {kuma.io/service: router, kuma.io/protocol: grpc}
                ---
                type: TrafficRoute
                mesh: default
                name: router-by-header
                sources: [{match: {kuma.io/service: router}}]
                destinations: [{match: {kuma.io/service: backend}}]
                conf:
                  destination: {kuma.io/service: backend}
                  http:
                  - match: {headers: {x-version: {exact: v2}}}
                    destination: {kuma.io/service: backend, version: v2}
                ---
                type: FaultInjection
                mesh: default
                name: chaos-aborts-half
                sources: [{match: {kuma.io/service: chaos}}]
                destinations: [{match: {kuma.io/service: backend, kuma.io/protocol: grpc}}]
                conf: {abort: {percentage: 50, httpStatus: 503}}
                ---
                type: FaultInjection
                mesh: default
                name: slow-waits
                sources: [{match: {kuma.io/service: slow}}]
                destinations: [{match: {kuma.io/service: backend}}]
                conf: {delay: {percentage: 100, value: 0.3s}}
                ---
                type: TrafficRoute
                mesh: default
                name: route-all-default
                sources: [{match: {kuma.io/service: '*'}}]
                destinations: [{match: {kuma.io/service: '*'}}]
                conf: {destination: {kuma.io/service: '*'}, loadBalancer: {roundRobin: {}}}
                ---
                type: TrafficRoute
                mesh: default
                name: backend-canary
                sources: [{match: {kuma.io/service: canary}}]
                destinations: [{match: {kuma.io/service: backend}}]
                conf:
                  split:
                  - {weight: 80, destination: {kuma.io/service: backend, version: v1}}
                  - {weight: 20, destination: {kuma.io/service: backend, version: v2}}
                ---
                type: Timeout
                mesh: default
                name: timeout-all-default
                sources: [{match: {kuma.io/service: '*'}}]
                destinations: [{match: {kuma.io/service: '*'}}]
                conf: {connectTimeout: 5s, http: {requestTimeout: 15s, idleTimeout: 3600s}}
                ---
                type: CircuitBreaker
                mesh: default
                name: circuit-breaker-all-default
                sources: [{match: {kuma.io/service: '*'}}]
                destinations: [{match: {kuma.io/service: '*'}}]
                conf: {thresholds: {maxConnections: 1024, maxPendingRequests: 1024, maxRequests: 1024}}
                ---
                type: Retry
                mesh: default
                name: retry-all-default
                sources: [{match: {kuma.io/service: '*'}}]
                destinations: [{match: {kuma.io/service: '*'}}]
                conf:
                  grpc: {numRetries: 5, perTryTimeout: 16s, backOff: {baseInterval: 0.025s, maxInterval: 0.250s}}
                """.formatted(backend1, backend2, flaky1, flaky2);
    }

}
