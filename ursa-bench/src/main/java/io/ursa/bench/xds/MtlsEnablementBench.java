package io.ursa.bench.xds;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.ca.CaPlugins;
import io.ursa.ca.DataplaneCertificateIssuer;
import io.ursa.ca.ProxyKeyPool;
import io.ursa.core.cluster.MemoryProxyConnections;
import io.ursa.core.cluster.SingleInstanceCluster;
import io.ursa.core.manager.ResourceManager;
import io.ursa.core.store.MemoryResourceStore;
import io.ursa.xds.server.DpTransport;
import io.ursa.xds.server.HttpTimeouts;
import io.ursa.xds.server.ProxyAuthenticator;
import io.ursa.xds.server.XdsServer;
import io.ursa.xds.server.XdsServerConfig;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How long a mesh takes to turn mTLS on: an in-process control plane (memory store, the real {@link XdsServer})
 * with N simulated sidecars connected and subscribed to their two SDS secrets, then one write that enables the
 * mesh's builtin CA (created beforehand, so its RSA root key is not part of the measurement). It reports the time
 * from that write until each proxy received its identity certificate and the mesh CA: p50, p99 and max, and the
 * resulting certificates per second, and the CPU time the process used meanwhile.
 *
 * <p>With {@code passes} above 1, each further pass turns mTLS off, replaces the mesh's backend with a new builtin
 * one ({@code ca-2}, ...), waits until every proxy dropped its secrets, and turns mTLS on again, measured until
 * every proxy's secrets changed: the same issuing and regenerating in a JVM that has run it before (the first pass
 * also compiles most of that code). The new backend's root key comes from the RSA key pool, which refills in the
 * background; {@code -Dursa.rsaKeyPool.size=0} keeps that refill out of the passes. Before each pass, the bench waits
 * until the control plane has the proxy keys it generates ahead (one per connected proxy of a mesh with a CA
 * backend), as when an operator turns mTLS on a while after adding the backend; {@code -Dursa.proxyKeyPool.max=0}
 * measures without them.
 *
 * <p>{@code java -cp 'ursa-bench/target/ursa-bench.jar:ursa-bench/target/lib/*'
 * io.ursa.bench.xds.MtlsEnablementBench [proxies=1000] [keyType=ecdsa|rsa] [passes=1]}
 */
public final class MtlsEnablementBench {
    private static final String MESH = "bench";
    private static final String SDS = "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret";

    private MtlsEnablementBench() {
    }

    public static void main(String[] args) throws Exception {
        int proxies = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        DataplaneCertificateIssuer.KeyType keyType = args.length > 1 && args[1].equalsIgnoreCase("rsa")
                ? DataplaneCertificateIssuer.KeyType.RSA_2048 : DataplaneCertificateIssuer.KeyType.ECDSA_P256;
        int passes = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        ResourceCodec codec = new ResourceCodec(ResourceTypes.standard());
        ResourceManager manager = ResourceManager.create(new MemoryResourceStore(), Clock.systemUTC(),
                CaPlugins.standard());
        apply(manager, codec, mesh("", "ca-1"));
        XdsServerConfig config = new XdsServerConfig("127.0.0.1", 0, Optional.empty(), XdsServerConfig.Auth.NONE,
                9901, Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(5), keyType,
                Runtime.getRuntime().availableProcessors(), DpTransport.plaintext(), HttpTimeouts.DEFAULTS, 0,
                io.ursa.xds.bootstrap.AdsProtocol.SOTW);
        try (XdsServer server = XdsServer.start(manager, ResourceTypes.standard(), config, ProxyAuthenticator.none(),
                new SingleInstanceCluster("bench", "localhost", "bench", Clock.systemUTC()),
                new MemoryProxyConnections(Clock.systemUTC()), Clock.systemUTC())) {
            List<ManagedChannel> channels = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                channels.add(NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build());
            }
            List<SimulatedSidecar> fleet = new ArrayList<>();
            List<String> secrets = List.of("identity_cert:secret:" + MESH, "mesh_ca:secret:" + MESH);
            for (int p = 0; p < proxies; p++) {
                fleet.add(new SimulatedSidecar(MESH + ".proxy-" + p, dataplane("proxy-" + p, "svc-" + (p % 50),
                        "10.2." + (p / 250) + "." + (p % 250 + 1)), channels.get(p % channels.size()), SDS, secrets));
            }
            for (SimulatedSidecar proxy : fleet) {
                proxy.awaitVersionChange("", Duration.ofMinutes(5));
            }
            System.out.printf("machine: %d cores, JDK %s; proxies=%d key=%s%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), proxies, keyType);
            for (int pass = 1; pass <= passes; pass++) {
                String backend = "ca-" + pass;
                if (pass > 1) { // mTLS off, with the next backend in place of the last (its CA is created now)
                    List<String> before = fleet.stream().map(SimulatedSidecar::version).toList();
                    apply(manager, codec, mesh("", backend));
                    for (int p = 0; p < proxies; p++) {
                        fleet.get(p).awaitVersionChange(before.get(p), Duration.ofMinutes(5));
                    }
                }
                String keys = awaitProxyKeys(server);
                List<String> versions = fleet.stream().map(SimulatedSidecar::version).toList();
                long cpuStart = processCpuNanos();
                long start = System.nanoTime();
                apply(manager, codec, mesh(backend, backend));
                double[] latencies = new double[proxies];
                for (int p = 0; p < proxies; p++) {
                    SimulatedSidecar proxy = fleet.get(p);
                    long received = pass == 1 ? proxy.awaitResources(2, Duration.ofMinutes(30))
                            : proxy.awaitVersionChange(versions.get(p), Duration.ofMinutes(30));
                    latencies[p] = (received - start) / 1e6;
                }
                long cpu = processCpuNanos() - cpuStart;
                Arrays.sort(latencies);
                double max = latencies[proxies - 1];
                System.out.printf("%s: every proxy has its certificate after %.0f ms (p50 %.0f ms, p99 %.0f ms);"
                        + " %.0f certificates/s; process CPU %.0f ms; %s%n", pass == 1 ? "mTLS on" : "again with "
                        + backend, max, latencies[proxies / 2], latencies[(int) Math.ceil(proxies * 0.99) - 1],
                        proxies / (max / 1000), cpu / 1e6, keys);
            }
            fleet.forEach(SimulatedSidecar::close);
            channels.forEach(ManagedChannel::shutdownNow);
        }
    }

    /**
     * Waits (at most a minute) until the control plane has generated ahead the proxy keys it wants: an operator turns
     * mTLS on some time after adding the CA backend, not within the same second. Returns what it had, for the report
     * ({@code -Dursa.proxyKeyPool.max=0} turns generating ahead off, for the figures without it).
     */
    private static String awaitProxyKeys(XdsServer server) throws InterruptedException {
        long started = System.nanoTime();
        long deadline = started + Duration.ofMinutes(1).toNanos();
        ProxyKeyPool.Stats stats = server.proxyKeys();
        while (stats.ready() < stats.wanted() && System.nanoTime() < deadline) {
            Thread.sleep(50); // polls a counter of another thread; there is nothing to wait on
            stats = server.proxyKeys();
        }
        return String.format("%d of %d proxy keys generated ahead (waited %d ms for them)", stats.ready(),
                stats.wanted(), (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * The CPU time of the whole process (control plane, simulated sidecars, JIT and GC threads): on a machine shared
     * with other work, it varies less than the wall time.
     */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** The mesh with one builtin CA backend, enabled unless {@code enabledBackend} is empty. */
    private static String mesh(String enabledBackend, String backend) {
        return "{\"type\":\"Mesh\",\"name\":\"" + MESH + "\",\"mtls\":{\"enabledBackend\":\"" + enabledBackend
                + "\",\"backends\":[{\"name\":\"" + backend + "\",\"type\":\"builtin\"}]}}";
    }

    private static String dataplane(String name, String service, String address) {
        return "{\"type\":\"Dataplane\",\"mesh\":\"" + MESH + "\",\"name\":\"" + name + "\",\"networking\":"
                + "{\"address\":\"" + address + "\",\"inbound\":[{\"port\":8080,\"tags\":"
                + "{\"kuma.io/service\":\"" + service + "\",\"kuma.io/protocol\":\"http\"}}]}}";
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void apply(ResourceManager manager, ResourceCodec codec, String json) {
        Resource resource = codec.decode(codec.parseJson(json));
        manager.upsert(resource.type(), resource.mesh(), resource.name(), resource.spec(), OptionalLong.empty());
    }
}
