package io.ursa.dp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;

/**
 * A stand-in for Envoy, which cannot run here: a shell script named {@code envoy} that answers
 * {@code --version} like Envoy 1.24.2, records each start's arguments (tab-separated, one line per start) and its
 * life events, crashes on its first {@code crashes} starts, then stays up until SIGTERM (or ignores it).
 */
final class FakeEnvoy {
    enum OnTerm { EXIT, IGNORE }

    static final String VERSION_OUTPUT =
            "\nversion: 50ef0945fa2c5da4bff7627c3abf41fdd3b7cffd/1.24.2/Clean/RELEASE/BoringSSL\n";

    private final Path dir;

    private FakeEnvoy(Path dir) {
        this.dir = dir;
    }

    /** Writes the script into a new directory {@code dir/name}. */
    static FakeEnvoy create(Path parent, String name, int crashes, OnTerm onTerm) throws IOException {
        Path dir = Files.createDirectories(parent.resolve(name));
        String trap = onTerm == OnTerm.EXIT
                ? "trap 'echo terminated >> \"$dir/events.log\"; exit 0' TERM"
                : "trap '' TERM";
        String script = String.join("\n",
                "#!/bin/sh",
                "dir=\"$(dirname \"$0\")\"",
                "if [ \"$1\" = \"--version\" ]; then",
                "  printf '" + VERSION_OUTPUT.replace("\n", "\\n") + "'",
                "  exit 0",
                "fi",
                "(IFS=\"$(printf '\\t')\"; echo \"$*\") >> \"$dir/starts.log\"",
                "n=$(wc -l < \"$dir/starts.log\")",
                "if [ \"$n\" -le " + crashes + " ]; then",
                "  echo 'fake envoy: crashing on purpose' >> \"$dir/events.log\"",
                "  exit 3",
                "fi",
                trap,
                "echo running >> \"$dir/events.log\"",
                "i=0",
                "while [ $i -lt 2400 ]; do sleep 0.05; i=$((i+1)); done", // gives up by itself after ~2 minutes
                "");
        Path binary = dir.resolve("envoy");
        Files.writeString(binary, script, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rwx------"));
        return new FakeEnvoy(dir);
    }

    Path binary() {
        return dir.resolve("envoy");
    }

    Path dir() {
        return dir;
    }

    /** The arguments of each start so far, without the binary itself. */
    List<List<String>> starts() {
        return lines("starts.log").stream().map(line -> Arrays.asList(line.split("\t"))).toList();
    }

    /** True once a start is up and has set its SIGTERM trap. */
    boolean isRunning() {
        return lines("events.log").contains("running");
    }

    /** True when a start received SIGTERM and exited on it. */
    boolean wasTerminated() {
        return lines("events.log").contains("terminated");
    }

    private List<String> lines(String file) {
        try {
            Path path = dir.resolve(file);
            return Files.exists(path) ? Files.readAllLines(path, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
