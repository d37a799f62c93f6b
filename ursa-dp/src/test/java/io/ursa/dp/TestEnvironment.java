package io.ursa.dp;

import io.ursa.api.resource.ResourceTypes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.random.RandomGenerator;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import java.util.logging.Logger;
import picocli.CommandLine;

/**
 * A {@link DpEnvironment} with captured streams, given variables, fake time, a shutdown hook to call by hand and a
 * pipe directory of its own (removed at exit when empty).
 */
final class TestEnvironment {
    static final BuildInfo BUILD = new BuildInfo("Ursa", "0.0.1", "v0.0.1", "91ce236824a9d875601679aa80c63783fb0e8725",
            "2019-08-07T11:26:06Z");

    final Map<String, String> variables = new HashMap<>();
    final FakeTime time = new FakeTime();
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    private final AtomicReference<IntSupplier> hook = new AtomicReference<>();
    final Path pipeDir = newPipeDir();
    String stdin = "";
    /** Picks the control-plane instance tried first: always the first given, unless a test says otherwise. */
    RandomGenerator random = () -> 0L;

    DpEnvironment build() {
        return new DpEnvironment(new PrintWriter(out, true), new PrintWriter(err, true),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), variables, time, time,
                hook::set, ResourceTypes.standard(), BUILD, "linux", pipeDir, random);
    }

    private static Path newPipeDir() {
        try {
            Path dir = Files.createTempDirectory("ursa-dp-pipes-");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code ursa-dp <args>} to the end and returns its exit code. */
    int execute(String... args) {
        CommandLine commandLine = UrsaDp.commandLine(build());
        return commandLine.execute(args);
    }

    /** What SIGTERM would do: calls the hook {@code run} registered. */
    int signal() {
        IntSupplier registered = hook.get();
        if (registered == null) {
            throw new AssertionError("no shutdown hook was registered");
        }
        return registered.getAsInt();
    }

    boolean hookRegistered() {
        return hook.get() != null;
    }

    String err() {
        synchronized (err) {
            return err.toString();
        }
    }

    String out() {
        return out.toString();
    }

    Logger log() {
        return ConsoleLog.create(new PrintWriter(err, true), LogLevel.DEBUG);
    }
}
