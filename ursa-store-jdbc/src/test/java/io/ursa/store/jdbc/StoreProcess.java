package io.ursa.store.jdbc;

import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.store.StoreUnavailableException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Another process using a store directory, for what cannot be tested inside one JVM: locks between processes and
 * surviving {@code kill -9}. Run as {@code StoreProcess write <dir>} it creates Dataplanes until killed and prints
 * {@code acked <name>} after each create returns; as {@code StoreProcess try-open <dir>} it prints whether it
 * could open the store.
 */
final class StoreProcess {
    static final int MAX_WRITES = 20_000;

    private StoreProcess() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[1]);
        switch (args[0]) {
            case "write" -> write(dir);
            case "try-open" -> tryOpen(dir);
            default -> throw new IllegalArgumentException("unknown mode: " + args[0]);
        }
    }

    private static void write(Path dir) {
        try (EmbeddedResourceStore store = EmbeddedResourceStore.open(dir, ResourceTypes.standard(),
                Clock.systemUTC())) {
            System.out.println("open");
            System.out.flush();
            for (int i = 0; i < MAX_WRITES; i++) {
                String name = "dp-" + i;
                store.create(TestResources.resource(ResourceTypes.DATAPLANE, "crash", name));
                System.out.println("acked " + name);
                System.out.flush();
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

    /** Starts {@code StoreProcess mode dir} in a new JVM with this JVM's class path; stderr goes to a file. */
    static Process start(String mode, Path dir, Path stderr) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), StoreProcess.class.getName(),
                mode, dir.toString())
                .redirectError(stderr.toFile())
                .start();
    }

    static BufferedReader stdout(Process process) {
        return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }
}
