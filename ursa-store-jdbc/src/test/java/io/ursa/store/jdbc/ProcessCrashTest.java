package io.ursa.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.store.StoreUnavailableException;
import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The store between processes: the directory lock holds across them, and acknowledged writes survive kill -9. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ProcessCrashTest {
    private static final int ACKS_BEFORE_KILL = 300;

    @TempDir
    Path tmp;

    /**
     * The child writes from {@code threads} threads (with several, writes are committed in batches) and is killed
     * after {@link #ACKS_BEFORE_KILL} acknowledgements. Every write it acknowledged before it died is there; at most
     * one more per thread is (a write committed but not yet acknowledged).
     */
    @ParameterizedTest(name = "{0} writer threads")
    @ValueSource(ints = {1, 8})
    void everyAcknowledgedWriteSurvivesKillNine(int threads) throws Exception {
        Path dir = tmp.resolve("store");
        Path stderr = tmp.resolve("child.err");
        Process child = StoreProcess.start("write", dir, stderr, Integer.toString(threads));
        List<String> acked = new ArrayList<>();
        try (BufferedReader out = StoreProcess.stdout(child)) {
            String line;
            while (acked.size() < ACKS_BEFORE_KILL && (line = out.readLine()) != null) {
                if (line.equals("open")) {
                    assertThatThrownBy(() -> EmbeddedResourceStore.open(dir, ResourceTypes.standard(),
                            EmbeddedResourceStoreTest.CLOCK))
                            .isInstanceOf(StoreUnavailableException.class)
                            .hasMessageContaining("store directory " + dir + " is in use by another control plane");
                } else if (line.startsWith("acked ")) {
                    acked.add(line.substring("acked ".length()));
                }
            }
            // SIGKILL; unlike Process.destroyForcibly this leaves the child's stdout open for the lines after
            child.toHandle().destroyForcibly();
            assertThat(child.waitFor(1, TimeUnit.MINUTES)).isTrue();
            assertThat(acked).as("acknowledged writes before the kill; child stderr: %s", Files.readString(stderr))
                    .hasSize(ACKS_BEFORE_KILL);
            // what the child acknowledged after the 300th but before it died counts too
            while ((line = out.readLine()) != null) {
                if (line.startsWith("acked ")) {
                    acked.add(line.substring("acked ".length()));
                }
            }
        }
        assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);

        try (EmbeddedResourceStore store = EmbeddedResourceStore.open(dir, ResourceTypes.standard(),
                EmbeddedResourceStoreTest.CLOCK)) {
            for (String name : acked) {
                assertThat(store.get(ResourceTypes.DATAPLANE, "crash", name)).as(name).isPresent();
            }
            assertThat(store.count(ResourceTypes.DATAPLANE, "crash")).isBetween((long) acked.size(),
                    (long) acked.size() + threads);
        }
    }

    @Test
    void anotherProcessCannotOpenALockedDirectoryEvenAfterAFailedOpenInTheHoldingJvm() throws Exception {
        Path dir = tmp.resolve("store");
        try (EmbeddedResourceStore store = EmbeddedResourceStore.open(dir, ResourceTypes.standard(),
                EmbeddedResourceStoreTest.CLOCK)) {
            assertThatThrownBy(() -> EmbeddedResourceStore.open(dir, ResourceTypes.standard(),
                    EmbeddedResourceStoreTest.CLOCK)).isInstanceOf(StoreUnavailableException.class);

            assertThat(runTryOpen(dir)).startsWith("refused: store directory " + dir + " is in use");
        }
        assertThat(runTryOpen(dir)).isEqualTo("opened 0");
    }

    private String runTryOpen(Path dir) throws Exception {
        Path stderr = tmp.resolve("try-open.err");
        Process child = StoreProcess.start("try-open", dir, stderr);
        try (BufferedReader out = StoreProcess.stdout(child)) {
            String line = out.readLine();
            assertThat(child.waitFor(1, TimeUnit.MINUTES)).isTrue();
            return line == null ? "no output; stderr: " + Files.readString(stderr) : line;
        }
    }
}
