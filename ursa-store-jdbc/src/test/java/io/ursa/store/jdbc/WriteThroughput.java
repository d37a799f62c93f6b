package io.ursa.store.jdbc;

import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * Measures the embedded store's write throughput with N concurrent writers; a tool, not a test (it asserts
 * nothing). Each writer creates a Dataplane and then updates it, over and over, on its own keys, so every write
 * succeeds. Each thread count gets a fresh store in a new temporary directory (on the file system of
 * {@code java.io.tmpdir}, which decides what an fsync costs), a warm-up, then a timed run. Prints writes/s and
 * per-write latency percentiles.
 *
 * <pre>{@code
 * ./mvnw -B -q install -DskipTests -pl ursa-store-jdbc
 * ./mvnw -B -q dependency:build-classpath -pl ursa-store-jdbc -Dmdep.outputFile=/tmp/cp.txt
 * java -cp ursa-store-jdbc/target/test-classes:ursa-store-jdbc/target/classes:$(cat /tmp/cp.txt) \
 *     io.ursa.store.jdbc.WriteThroughput 1 8 32
 * }</pre>
 *
 * Seconds per run: {@code -Dseconds=10} (default 10, after a warm-up of a third of that).
 */
final class WriteThroughput {
    private WriteThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int[] threadCounts = args.length == 0 ? new int[] {1, 8, 32}
                : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        Duration run = Duration.ofSeconds(Long.getLong("seconds", 10));
        Duration warmUp = run.dividedBy(3);
        System.out.printf("%8s %12s %10s %10s %10s %10s%n", "threads", "writes/s", "writes", "p50 ms", "p99 ms",
                "max ms");
        for (int threads : threadCounts) {
            Path dir = Files.createTempDirectory("ursa-write-throughput-");
            try (EmbeddedResourceStore store = EmbeddedResourceStore.open(dir, ResourceTypes.standard(),
                    Clock.systemUTC())) {
                measure(store, threads, warmUp, "warm-up");
                Result r = measure(store, threads, run, "run");
                System.out.printf("%8d %12.0f %10d %10.2f %10.2f %10.2f%n", threads, r.writesPerSecond(), r.writes(),
                        r.percentileMillis(0.50), r.percentileMillis(0.99), r.percentileMillis(1.0));
            } finally {
                deleteRecursively(dir);
            }
        }
    }

    /** Writes done in a run and the latency of each, in nanoseconds, sorted. */
    private record Result(long writes, double seconds, long[] latencies) {
        double writesPerSecond() {
            return writes / seconds;
        }

        double percentileMillis(double p) {
            if (latencies.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1);
            return latencies[Math.max(0, i)] / 1e6;
        }
    }

    private static Result measure(EmbeddedResourceStore store, int threads, Duration duration, String phase)
            throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        long[][] latencies = new long[threads][];
        long[] deadline = new long[1];
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int index = t;
            Thread writer = new Thread(() -> {
                ready.countDown();
                awaitUninterruptibly(go);
                latencies[index] = writeUntil(store, phase + "-" + index, deadline[0]);
            }, "writer-" + t);
            writers.add(writer);
            writer.start();
        }
        ready.await();
        long start = System.nanoTime();
        deadline[0] = start + duration.toNanos();
        go.countDown();
        for (Thread w : writers) {
            w.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] all = Stream.of(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
        return new Result(all.length, seconds, all);
    }

    /** Creates and updates Dataplanes named after {@code prefix} until {@code deadline}; returns the latencies. */
    private static long[] writeUntil(EmbeddedResourceStore store, String prefix, long deadline) {
        long[] latencies = new long[1024];
        int n = 0;
        for (int i = 0; System.nanoTime() < deadline; i++) {
            if (n + 2 > latencies.length) {
                latencies = Arrays.copyOf(latencies, latencies.length * 2);
            }
            long t0 = System.nanoTime();
            Resource<DataplaneSpec> created = store.create(TestResources.resource(ResourceTypes.DATAPLANE, "bench",
                    prefix + "-" + i));
            long t1 = System.nanoTime();
            store.update(created);
            long t2 = System.nanoTime();
            latencies[n++] = t1 - t0;
            latencies[n++] = t2 - t1;
        }
        return Arrays.copyOf(latencies, n);
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        while (true) {
            try {
                latch.await();
                return;
            } catch (InterruptedException e) {
                // the harness never interrupts its writers; keep waiting
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
