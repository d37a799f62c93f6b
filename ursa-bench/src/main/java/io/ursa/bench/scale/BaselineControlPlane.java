package io.ursa.bench.scale;

import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.mesh.MeshSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.manager.ResourceManager;
import io.ursa.core.store.MemoryResourceStore;
import io.ursa.xds.context.MeshContext;
import io.ursa.xds.context.MeshContextBuilder;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.context.ProxyMetadata;
import io.ursa.xds.generator.Profiles;
import io.ursa.xds.snapshot.SnapshotAssembler;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.OptionalLong;

/**
 * The baseline of the scale harness: a bare java-control-plane ADS server ({@link V3DiscoveryServer} over a
 * {@link SimpleCache}, nothing else) serving snapshots computed before any proxy connects. They are Ursa's own
 * configuration of every proxy of the scenario, before and after the change (the policy written, or the extra
 * instance registered), so both servers send the same
 * bytes to the same clients; what the baseline leaves out is everything a control plane does between a write
 * and a snapshot (store events, contexts, policy matching, generation, versioning, consistency checks).
 *
 * <p>Run by {@link ScaleBench} as its own process. Prints {@code ready port=<port>} once serving; then each line
 * {@code changed} or {@code original} on standard input sets the corresponding snapshot of every proxy of mesh
 * 0 and prints {@code set <state>}. Arguments: the scenario's {@code proxies services meshes outbounds change},
 * then the transport: {@code plaintext}, or {@code tls CERTIFICATE_FILE KEY_FILE}.
 */
public final class BaselineControlPlane {
    private BaselineControlPlane() {
    }

    public static void main(String[] args) throws Exception {
        ScaleScenario scenario = new ScaleScenario(Integer.parseInt(args[0]), Integer.parseInt(args[1]),
                Integer.parseInt(args[2]), Integer.parseInt(args[3]), ScaleScenario.Change.ofFlag(args[4]));
        long started = System.nanoTime();
        ResourceCodec codec = new ResourceCodec(ResourceTypes.standard());
        MemoryResourceStore store = new MemoryResourceStore();
        ResourceManager manager = ResourceManager.create(store, Clock.systemUTC(), List.of());
        for (int m = 0; m < scenario.meshes(); m++) {
            manager.create(ResourceTypes.MESH, "", ScaleScenario.mesh(m), MeshSpec.empty());
        }
        for (int p = 0; p < scenario.proxies(); p++) {
            apply(manager, codec, scenario.dataplaneJson(p));
        }
        for (String json : scenario.setupJson()) {
            apply(manager, codec, json);
        }
        MeshContextBuilder contexts = new MeshContextBuilder(store, ResourceTypes.standard());
        Snapshot[] original = new Snapshot[scenario.proxies()];
        for (int m = 0; m < scenario.meshes(); m++) {
            generate(scenario, contexts.build(ScaleScenario.mesh(m)).orElseThrow(), m, original);
        }
        apply(manager, codec, scenario.changedJson());
        Snapshot[] changed = new Snapshot[scenario.proxies()];
        generate(scenario, contexts.build(ScaleScenario.mesh(0)).orElseThrow(), 0, changed);
        System.out.printf("precomputed the snapshots of %d proxies in %.1f s%n", scenario.proxies(),
                (System.nanoTime() - started) / 1e9);

        SimpleCache<String> cache = new SimpleCache<>(node -> node.getId());
        for (int p = 0; p < scenario.proxies(); p++) {
            cache.setSnapshot(scenario.nodeId(p), original[p]);
        }
        V3DiscoveryServer discovery = new V3DiscoveryServer(cache);
        Server server = ScaleTransport.serve(NettyServerBuilder.forPort(0), List.of(args).subList(5, args.length))
                .addService(discovery.getAggregatedDiscoveryServiceImpl()).build().start();
        System.out.println("ready port=" + server.getPort());
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                Snapshot[] state = switch (line.trim()) {
                    case "changed" -> changed;
                    case "original" -> original;
                    default -> null;
                };
                if (state == null) {
                    System.out.println("unknown command: " + line + " (expected: changed or original)");
                    continue;
                }
                for (int p = 0; p < scenario.proxies(); p++) {
                    if (scenario.meshOf(p) == 0) {
                        cache.setSnapshot(scenario.nodeId(p), state[p]);
                    }
                }
                System.out.println("set " + line.trim());
            }
        }
        server.shutdownNow();
    }

    private static void generate(ScaleScenario scenario, MeshContext mesh, int meshIndex, Snapshot[] into) {
        for (int p = 0; p < scenario.proxies(); p++) {
            if (scenario.meshOf(p) != meshIndex) {
                continue;
            }
            ProxyContext proxy = mesh.proxy(ScaleScenario.proxyName(p)).orElseThrow()
                    .withMetadata(ProxyMetadata.envoy(ScaleScenario.ADMIN_PORT));
            into[p] = SnapshotAssembler.forProxy(proxy).assemble(Profiles.envoy().generate(proxy),
                    scenario.nodeId(p));
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void apply(ResourceManager manager, ResourceCodec codec, String json) {
        Resource resource = codec.decode(codec.parseJson(json));
        manager.upsert(resource.type(), resource.mesh(), resource.name(), resource.spec(), OptionalLong.empty());
    }
}
