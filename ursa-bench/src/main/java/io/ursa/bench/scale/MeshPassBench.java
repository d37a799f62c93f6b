package io.ursa.bench.scale;

import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.mesh.MeshSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.bench.JmhWithGc;
import io.ursa.core.manager.ResourceManager;
import io.ursa.core.store.MemoryResourceStore;
import io.ursa.xds.context.MeshContext;
import io.ursa.xds.context.MeshContextBuilder;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.context.ProxyMetadata;
import io.ursa.xds.generator.template.ProxyTemplates;
import io.ursa.xds.snapshot.ProxySnapshots;
import java.time.Clock;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;

/**
 * What the control plane itself spends on one mesh-wide change, without the network: the reconciler's pass over
 * {@link ScaleScenario}'s mesh (the one {@link ScaleBench} runs) after its change is written, on one thread. An
 * operation writes the change (or restores the original, alternately) to a memory store, builds the mesh context
 * again, then generates every proxy of the mesh and sets its snapshot ({@link ProxySnapshots#update}, with no
 * proxy connected, so nothing is sent). That is the work {@link ScaleBench}'s bare baseline does ahead of time,
 * so this is Ursa's own cost per change: its time, and its allocation ({@code gc.alloc.rate.norm}).
 *
 * <p>Run (from the repository root, after {@code ./mvnw -B -q package -DskipTests}; about 3 minutes on 2 cores):
 * <pre>java -cp 'ursa-bench/target/ursa-bench.jar:ursa-bench/target/lib/*' io.ursa.bench.scale.MeshPassBench</pre>
 * JMH options may follow, e.g. {@code -p change=timeout -p proxies=1000}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 6, time = 3)
@Measurement(iterations = 5, time = 3)
public class MeshPassBench {
    @Param({"1000"})
    public int proxies;

    @Param({"timeout"})
    public String change;

    private ScaleScenario scenario;
    private ResourceCodec codec;
    private ResourceManager manager;
    private MeshContextBuilder contexts;
    private ProxySnapshots snapshots;
    private Resource<?> original;
    private Resource<?> changed;
    /** The context of the last pass: a proxy's snapshot holds resources of it until the next pass. */
    private MeshContext current;
    private boolean changedNow;

    @Setup(Level.Trial)
    public void setUp() {
        scenario = new ScaleScenario(proxies, proxies / 10, 1, 10, ScaleScenario.Change.ofFlag(change));
        if (scenario.restoresByDelete()) {
            throw new IllegalArgumentException("invalid change: " + change + " (expected: a policy edit such as"
                    + " timeout, one-service or traffic-route)");
        }
        codec = new ResourceCodec(ResourceTypes.standard());
        MemoryResourceStore store = new MemoryResourceStore();
        manager = ResourceManager.create(store, Clock.systemUTC(), List.of());
        manager.create(ResourceTypes.MESH, "", ScaleScenario.mesh(0), MeshSpec.empty());
        for (int p = 0; p < proxies; p++) {
            write(codec.decode(codec.parseJson(scenario.dataplaneJson(p))));
        }
        for (String json : scenario.setupJson()) {
            write(codec.decode(codec.parseJson(json)));
        }
        changed = codec.decode(codec.parseJson(scenario.changedJson()));
        original = stored(changed);
        contexts = new MeshContextBuilder(store, ResourceTypes.standard());
        snapshots = new ProxySnapshots();
        current = contexts.build(ScaleScenario.mesh(0)).orElseThrow();
        generateAll(current);
    }

    /** Writes the change (or restores the original), rebuilds the mesh context and regenerates every proxy. */
    @Benchmark
    public int pass() {
        changedNow = !changedNow;
        write(changedNow ? changed : original);
        MeshContext next = contexts.build(ScaleScenario.mesh(0)).orElseThrow();
        next.shared().follow(current.shared()); // as the reconciler does
        int pushed = generateAll(next);
        current = next;
        if (pushed != proxies) {
            throw new IllegalStateException(pushed + " of " + proxies + " proxies got a new snapshot (expected: all)");
        }
        return pushed;
    }

    private int generateAll(MeshContext mesh) {
        int pushed = 0;
        for (int p = 0; p < proxies; p++) {
            ProxyContext proxy = mesh.proxy(ScaleScenario.proxyName(p)).orElseThrow()
                    .withMetadata(ProxyMetadata.envoy(ScaleScenario.ADMIN_PORT));
            if (snapshots.update(proxy, ProxyTemplates.generate(proxy))) {
                pushed++;
            }
        }
        return pushed;
    }

    /** The stored resource with the type, mesh and name of {@code resource}. */
    private Resource<?> stored(Resource<?> resource) {
        return manager.get(resource.type(), resource.mesh(), resource.name()).orElseThrow();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void write(Resource resource) {
        manager.upsert(resource.type(), resource.mesh(), resource.name(), resource.spec(), OptionalLong.empty());
    }

    /** Runs the benchmark with the GC profiler; JMH command-line options in {@code args} override the defaults. */
    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        JmhWithGc.run(MeshPassBench.class, args);
    }
}
