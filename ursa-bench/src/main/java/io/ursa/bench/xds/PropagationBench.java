package io.ursa.bench.xds;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.manager.ResourceManager;
import io.ursa.core.store.MemoryResourceStore;
import io.ursa.xds.server.ProxyAuthenticator;
import io.ursa.xds.server.XdsServer;
import io.ursa.xds.server.XdsServerConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * How fast a change reaches every connected proxy: an in-process control plane (memory store, the real
 * {@link XdsServer}) and N simulated sidecars, each an ADS client that subscribes to CDS with its node and
 * Dataplane definition and ACKs like Envoy. It reports the time until all N have their first configuration, then,
 * for R edits of the mesh's default Timeout (which changes every outbound cluster of every proxy), the time from
 * the committed write until each proxy received the new clusters: p50, p99 and max over all proxies.
 *
 * <p>{@code java -cp 'ursa-bench/target/ursa-bench.jar:ursa-bench/target/lib/*' io.ursa.bench.xds.PropagationBench
 * [proxies=500] [services=50] [outboundsPerProxy=10] [rounds=5]}
 */
public final class PropagationBench {
    private static final String MESH = "bench";
    private static final String CDS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";

    private PropagationBench() {
    }

    public static void main(String[] args) throws Exception {
        int proxies = arg(args, 0, 500);
        int services = arg(args, 1, 50);
        int outbounds = Math.min(arg(args, 2, 10), services);
        int rounds = arg(args, 3, 5);
        ResourceCodec codec = new ResourceCodec(ResourceTypes.standard());
        ResourceManager manager = ResourceManager.create(new MemoryResourceStore(), Clock.systemUTC(), List.of());
        apply(manager, codec, "{\"type\":\"Mesh\",\"name\":\"" + MESH + "\"}");
        for (int s = 0; s < services; s++) {
            for (int i = 0; i < 2; i++) {
                apply(manager, codec, dataplane("svc-" + s + "-" + i, "svc-" + s, "10.1." + s + "." + (i + 1), 0));
            }
        }
        XdsServerConfig config = new XdsServerConfig("127.0.0.1", 0, Optional.empty(), XdsServerConfig.Auth.NONE,
                9901, Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(5));
        try (XdsServer server = XdsServer.start(manager, ResourceTypes.standard(), config, ProxyAuthenticator.none(),
                "bench", Clock.systemUTC())) {
            List<ManagedChannel> channels = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                channels.add(NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext()
                        .maxInboundMessageSize(64 << 20).build());
            }
            List<Proxy> fleet = new ArrayList<>();
            long connectStart = System.nanoTime();
            for (int p = 0; p < proxies; p++) {
                String definition = dataplane("proxy-" + p, "client-" + p, "10.2." + (p / 250) + "." + (p % 250 + 1),
                        outbounds);
                fleet.add(new Proxy("proxy-" + p, definition, channels.get(p % channels.size())));
            }
            for (Proxy proxy : fleet) {
                proxy.awaitVersionChange("", Duration.ofMinutes(5));
            }
            double firstConfigMs = (System.nanoTime() - connectStart) / 1e6;
            System.out.printf("machine: %d cores, JDK %s; proxies=%d services=%d outbounds/proxy=%d%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), proxies, services,
                    outbounds);
            System.out.printf("all %d proxies have their first configuration after %.0f ms%n", proxies, firstConfigMs);
            System.out.println("round | p50 ms | p99 ms | max ms");
            for (int r = 1; r <= rounds; r++) {
                String[] before = fleet.stream().map(Proxy::version).toArray(String[]::new);
                long start = System.nanoTime();
                apply(manager, codec, "{\"type\":\"Timeout\",\"mesh\":\"" + MESH + "\",\"name\":\"timeout-all-" + MESH
                        + "\",\"sources\":[{\"match\":{\"kuma.io/service\":\"*\"}}],\"destinations\":[{\"match\":"
                        + "{\"kuma.io/service\":\"*\"}}],\"conf\":{\"connectTimeout\":\"" + (5 + r) + "s\"}}");
                double[] latencies = new double[proxies];
                for (int p = 0; p < proxies; p++) {
                    long at = fleet.get(p).awaitVersionChange(before[p], Duration.ofMinutes(1));
                    latencies[p] = (at - start) / 1e6;
                }
                Arrays.sort(latencies);
                System.out.printf("%5d | %6.1f | %6.1f | %6.1f%n", r, latencies[proxies / 2],
                        latencies[(int) Math.ceil(proxies * 0.99) - 1], latencies[proxies - 1]);
            }
            fleet.forEach(Proxy::close);
            channels.forEach(ManagedChannel::shutdownNow);
        }
    }

    /** One simulated sidecar: CDS over ADS, ACKing every response, remembering when each version arrived. */
    private static final class Proxy {
        private final StreamObserver<DiscoveryRequest> requests;
        private final Object lock = new Object();
        private String version = "";
        private long receivedAt;

        Proxy(String name, String definition, ManagedChannel channel) {
            Node node = Node.newBuilder().setId(MESH + "." + name).setUserAgentName("envoy")
                    .setMetadata(Struct.newBuilder().putFields("dataplane.resource",
                            Value.newBuilder().setStringValue(definition).build())).build();
            requests = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(
                    new StreamObserver<>() {
                        @Override
                        public void onNext(DiscoveryResponse response) {
                            synchronized (lock) {
                                version = response.getVersionInfo();
                                receivedAt = System.nanoTime();
                                lock.notifyAll();
                            }
                            synchronized (Proxy.this) {
                                requests().onNext(DiscoveryRequest.newBuilder().setTypeUrl(CDS)
                                        .setVersionInfo(response.getVersionInfo())
                                        .setResponseNonce(response.getNonce()).build());
                            }
                        }

                        @Override
                        public void onError(Throwable t) {
                            System.err.println(name + ": stream failed: " + t);
                        }

                        @Override
                        public void onCompleted() {
                        }
                    });
            synchronized (this) {
                requests.onNext(DiscoveryRequest.newBuilder().setNode(node).setTypeUrl(CDS).build());
            }
        }

        private StreamObserver<DiscoveryRequest> requests() {
            return requests;
        }

        String version() {
            synchronized (lock) {
                return version;
            }
        }

        /** Waits until the version differs from {@code previous}; returns when (nanoTime) it arrived. */
        long awaitVersionChange(String previous, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            synchronized (lock) {
                while (version.equals(previous)) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new IllegalStateException("no new configuration within " + timeout);
                    }
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                }
                return receivedAt;
            }
        }

        void close() {
            synchronized (this) {
                requests.onCompleted();
            }
        }
    }

    private static String dataplane(String name, String service, String address, int outbounds) {
        StringBuilder json = new StringBuilder("{\"type\":\"Dataplane\",\"mesh\":\"" + MESH + "\",\"name\":\"" + name
                + "\",\"networking\":{\"address\":\"" + address + "\",\"inbound\":[{\"port\":8080,\"tags\":"
                + "{\"kuma.io/service\":\"" + service + "\",\"kuma.io/protocol\":\"http\"}}]");
        if (outbounds > 0) {
            json.append(",\"outbound\":[");
            for (int o = 0; o < outbounds; o++) {
                json.append(o == 0 ? "" : ",").append("{\"port\":").append(10001 + o)
                        .append(",\"tags\":{\"kuma.io/service\":\"svc-").append(o).append("\"}}");
            }
            json.append(']');
        }
        return json.append("}}").toString();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void apply(ResourceManager manager, ResourceCodec codec, String json) {
        Resource resource = codec.decode(codec.parseJson(json));
        manager.upsert(resource.type(), resource.mesh(), resource.name(), resource.spec(), OptionalLong.empty());
    }

    private static int arg(String[] args, int index, int fallback) {
        return args.length > index ? Integer.parseInt(args[index]) : fallback;
    }

}
