package io.ursa.store.jdbc;

import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.store.StoreUnavailableException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Another process using a store directory, for what cannot be tested inside one JVM: locks between processes and
 * surviving {@code kill -9}. Run as {@code StoreProcess write <dir> <threads>} it creates Dataplanes from that many
 * threads at once (so that their writes are committed in batches) until killed, and prints {@code acked <name>}
 * after each create returns; as {@code StoreProcess try-open <dir>} it prints whether it could open the store.
 */
final class StoreProcess {
    static final int MAX_WRITES = 20_000;

    private StoreProcess() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[1]);
        switch (args[0]) {
            case "write" -> write(dir, Integer.parseInt(args[2]));
            case "try-open" -> tryOpen(dir);
            default -> throw new IllegalArgumentException("unknown mode: " + args[0]);
        }
    }

    private static void write(Path dir, int threads) {
        try (EmbeddedResourceStore store = EmbeddedResourceStore.open(dir, ResourceTypes.standard(),
                Clock.systemUTC())) {
            System.out.println("open");
            System.out.flush();
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String prefix = "dp-" + t + "-";
                writers.add(new Thread(() -> {
                    for (int i = 0; i < MAX_WRITES / threads; i++) {
                        String name = prefix + i;
                        store.create(TestResources.resource(ResourceTypes.DATAPLANE, "crash", name));
                        // System.out flushes each whole line under its lock: lines of different threads never mix
                        System.out.println("acked " + name);
                    }
                }, "writer-" + t));
            }
            writers.forEach(Thread::start);
            for (Thread w : writers) {
                joinUninterruptibly(w);
            }
        }
    }

    private static void joinUninterruptibly(Thread thread) {
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                // nothing interrupts this process's main thread; it is killed
            }
        }
    }

    private static void tryOpen(Path dir) {
        try (EmbeddedResourceStore store = EmbeddedResourceStore.open(dir, ResourceTypes.standard(),
                Clock.systemUTC())) {
            System.out.println("opened " + store.count(ResourceTypes.DATAPLANE, ""));
        } catch (StoreUnavailableException e) {
            System.out.println("refused: " + e.getMessage());
        }
    }

    /**
     * Starts {@code StoreProcess mode dir args...} in a new JVM with this JVM's class path; stderr goes to a file.
     */
    static Process start(String mode, Path dir, Path stderr, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                StoreProcess.class.getName(), mode, dir.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .redirectError(stderr.toFile())
                .start();
    }

    static BufferedReader stdout(Process process) {
        return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }
}
