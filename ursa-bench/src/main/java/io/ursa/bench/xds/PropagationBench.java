package io.ursa.bench.xds;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
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
            List<SimulatedSidecar> fleet = new ArrayList<>();
            long connectStart = System.nanoTime();
            for (int p = 0; p < proxies; p++) {
                String definition = dataplane("proxy-" + p, "client-" + p, "10.2." + (p / 250) + "." + (p % 250 + 1),
                        outbounds);
                fleet.add(new SimulatedSidecar(MESH + ".proxy-" + p, definition, channels.get(p % channels.size()),
                        CDS, List.of()));
            }
            for (SimulatedSidecar proxy : fleet) {
                proxy.awaitVersionChange("", Duration.ofMinutes(5));
            }
            double firstConfigMs = (System.nanoTime() - connectStart) / 1e6;
            System.out.printf("machine: %d cores, JDK %s; proxies=%d services=%d outbounds/proxy=%d%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), proxies, services,
                    outbounds);
            System.out.printf("all %d proxies have their first configuration after %.0f ms%n", proxies, firstConfigMs);
            System.out.println("round | p50 ms | p99 ms | max ms");
            for (int r = 1; r <= rounds; r++) {
                String[] before = fleet.stream().map(SimulatedSidecar::version).toArray(String[]::new);
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
            fleet.forEach(SimulatedSidecar::close);
            channels.forEach(ManagedChannel::shutdownNow);
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
