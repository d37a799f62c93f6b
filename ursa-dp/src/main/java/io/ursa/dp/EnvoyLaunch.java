package io.ursa.dp;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** How Envoy is started: the binary and the command-line arguments kuma-dp gives it. */
record EnvoyLaunch(Path binary, Path bootstrapFile, Duration drainTime, int concurrency, String logLevel,
                   String operatingSystem) {
    EnvoyLaunch {
        requireNonNull(binary, "binary");
        requireNonNull(bootstrapFile, "bootstrapFile");
        requireNonNull(drainTime, "drainTime");
        requireNonNull(logLevel, "logLevel");
        requireNonNull(operatingSystem, "operatingSystem");
        if (concurrency < 0) {
            throw new IllegalArgumentException("invalid concurrency: " + concurrency + " (expected: >= 0)");
        }
    }

    /**
     * {@code <binary> -c <bootstrap> --drain-time-s N --disable-hot-restart --log-level L}, then
     * {@code --concurrency N} when set, or {@code --cpuset-threads} on Linux otherwise (kuma-dp's choice: hot
     * restart would need a distinct {@code --base-id} per Envoy on a host, and cpusets bound the worker count).
     */
    List<String> argv() {
        List<String> argv = new ArrayList<>(List.of(
                binary.toString(),
                "-c", bootstrapFile.toString(),
                "--drain-time-s", Long.toString(drainTime.toSeconds()),
                "--disable-hot-restart",
                "--log-level", logLevel));
        if (concurrency > 0) {
            argv.add("--concurrency");
            argv.add(Integer.toString(concurrency));
        } else if (operatingSystem.equals("linux")) {
            argv.add("--cpuset-threads");
        }
        return List.copyOf(argv);
    }
}
