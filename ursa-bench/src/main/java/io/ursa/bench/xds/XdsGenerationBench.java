package io.ursa.bench.xds;

import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.ursa.xds.context.MeshContext;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.context.SharedResources;
import io.ursa.xds.generator.Profiles;
import io.ursa.xds.resources.ResourceSet;
import io.ursa.xds.snapshot.ProxySnapshots;
import io.ursa.xds.snapshot.SnapshotAssembler;
import io.ursa.bench.JmhWithGc;
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
 * Time and allocation of generating one proxy's full Envoy configuration ({@link Profiles#envoy()}, whatever
 * generators it lists), in a mesh of {@code services} services built by {@link MeshFixture}; the mesh context is
 * built once per trial, as the control plane builds it once per mesh change. {@code generate} and
 * {@code generateAndAssemble} (which adds what follows generation for every proxy update: the consistency check,
 * content versions and snapshot of {@link SnapshotAssembler}) are for the first proxy of a workload, each call in a
 * fresh copy of the context so nothing is reused; {@code firstOfWorkloadInWarmContext} is for the first proxy of a
 * workload in a context where a proxy of another workload with the same outbounds was generated (its outbound
 * listeners, clusters and endpoints are shared when their inputs are equal); {@code replicaGenerate} and
 * {@code replicaGenerateAndAssemble} are for each further proxy with the same outbounds and tags, whose outbound
 * resources its mesh context shares ({@link io.ursa.xds.context.SharedResources}).
 *
 * <p>Run (from the repository root, after {@code ./mvnw -B -q package -DskipTests}):
 * <pre>java -cp 'ursa-bench/target/ursa-bench.jar:ursa-bench/target/lib/*' io.ursa.bench.xds.XdsGenerationBench</pre>
 * which adds {@code -prof gc} (allocated bytes per operation as {@code gc.alloc.rate.norm}) and takes about four
 * minutes on 2 cores. Any JMH option can follow: a benchmark pattern ({@code 'generate$'}), one case
 * ({@code -p services=100 -p mode=outbounds100}), or a quick run ({@code -wi 4 -i 3}, about 2.5 minutes; its
 * times are rough, because generation is still being compiled after 4 warm-up iterations on 2 cores).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 8, time = 2)
@Measurement(iterations = 5, time = 2)
public class XdsGenerationBench {
    @Param({"100", "1000"})
    public int services;

    @Param({"transparent", "outbounds100"})
    public String mode;

    private ProxyContext base;
    /** The proxy in a mesh context whose shared resources are empty: the first proxy of its workload. */
    private ProxyContext first;
    /** The proxy in a mesh context where a replica of it was generated already. */
    private ProxyContext replica;

    @Setup(Level.Trial)
    public void setUp() {
        base = MeshFixture.build(services, ProxyMode.of(mode)).proxy();
        replica = base;
        Profiles.envoy().generate(replica);
        SnapshotAssembler.forProxy(replica).assemble(Profiles.envoy().generate(replica), "warm-up",
                replica.mesh().shared());
    }

    /** Outside the measured time: a fresh copy of the mesh context, so nothing generated before is reused. */
    @Setup(Level.Invocation)
    public void freshContext() {
        MeshContext mesh = base.mesh();
        first = new ProxyContext(base.dataplane(), new MeshContext(mesh.mesh(), mesh.dataplanes(), mesh.endpoints(),
                mesh.applicationEndpoints(), mesh.policies(), mesh.externalEndpoints(), mesh.mtls(), mesh.vips(),
                mesh.crossMesh(), mesh.hash(), new SharedResources()), base.metadata(), base.identity());
    }

    /** The whole sidecar profile for the first proxy of its workload in this mesh context. */
    @Benchmark
    public ResourceSet generate() {
        return Profiles.envoy().generate(first);
    }

    /** The same, then the consistency check, content versions and java-control-plane snapshot. */
    @Benchmark
    public Snapshot generateAndAssemble() {
        ResourceSet resources = Profiles.envoy().generate(first);
        return SnapshotAssembler.forProxy(first).assemble(resources, "node " + ProxySnapshots.nodeId(first),
                first.mesh().shared());
    }

    /**
     * The whole sidecar profile for the first proxy of its workload in a mesh context where a proxy of another
     * workload with the same outbounds was generated: what every new workload costs once a mesh is running.
     */
    @Benchmark
    public ResourceSet firstOfWorkloadInWarmContext(WarmContext warm) {
        return Profiles.envoy().generate(warm.proxy);
    }

    /**
     * {@link #firstOfWorkloadInWarmContext}, then the consistency check, content versions and java-control-plane
     * snapshot: all a new workload's first proxy costs, wherever the work falls between generating and assembling.
     */
    @Benchmark
    public Snapshot firstOfWorkloadInWarmContextAndAssemble(WarmContext warm) {
        ResourceSet resources = Profiles.envoy().generate(warm.proxy);
        return SnapshotAssembler.forProxy(warm.proxy).assemble(resources, "node " + ProxySnapshots.nodeId(warm.proxy),
                warm.proxy.mesh().shared());
    }

    /**
     * The proxy under test in a fresh copy of the mesh context in which a proxy of another workload
     * ({@link MeshFixture#otherWorkload}: the same outbounds, another service) was generated first. A state of its
     * own, so that its invocation setup runs only for {@link #firstOfWorkloadInWarmContext}; JMH's {@code -prof gc}
     * counts what that setup allocates in the benchmark's bytes per operation.
     */
    @State(Scope.Thread)
    public static class WarmContext {
        private ProxyContext proxy;

        /** Outside the measured time: the context copy and the other workload's generation and assembly. */
        @Setup(Level.Invocation)
        public void warm(XdsGenerationBench bench) {
            ProxyContext base = bench.base;
            MeshContext mesh = base.mesh();
            MeshContext copy = new MeshContext(mesh.mesh(), mesh.dataplanes(), mesh.endpoints(),
                    mesh.applicationEndpoints(), mesh.policies(), mesh.externalEndpoints(), mesh.mtls(), mesh.vips(),
                    mesh.crossMesh(), mesh.hash(), new SharedResources());
            ProxyContext other = new ProxyContext(MeshFixture.otherWorkload(base.dataplane()), copy,
                    base.metadata(), base.identity());
            // generated and assembled, as in a running mesh: what the two workloads share is digested already
            SnapshotAssembler.forProxy(other).assemble(Profiles.envoy().generate(other), "node other", copy.shared());
            proxy = new ProxyContext(base.dataplane(), copy, base.metadata(), base.identity());
        }
    }

    /** Generation for each further replica (same outbounds and tags) in the same mesh context. */
    @Benchmark
    public ResourceSet replicaGenerate() {
        return Profiles.envoy().generate(replica);
    }

    /** Generation and assembly for each further replica (same outbounds and tags) in the same mesh context. */
    @Benchmark
    public Snapshot replicaGenerateAndAssemble() {
        ResourceSet resources = Profiles.envoy().generate(replica);
        return SnapshotAssembler.forProxy(replica).assemble(resources, "node " + ProxySnapshots.nodeId(replica),
                replica.mesh().shared());
    }

    /**
     * Runs both benchmarks with the GC profiler; JMH command-line options in {@code args} override the defaults,
     * and a benchmark pattern among them (e.g. {@code 'generate$'}) narrows the run.
     */
    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        JmhWithGc.run(XdsGenerationBench.class, args);
    }
}
