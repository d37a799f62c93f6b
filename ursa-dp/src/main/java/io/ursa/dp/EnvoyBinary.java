package io.ursa.dp;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Finds the Envoy executable ({@code --binary-path}) and asks it for its version. */
final class EnvoyBinary {
    private static final int MAX_VERSION_OUTPUT = 64 * 1024;

    private EnvoyBinary() {
    }

    /**
     * A path ({@code /opt/envoy/bin/envoy}, {@code ./envoy}) is used as it is; a bare name is looked up on
     * {@code PATH} from {@code variables}, like a shell would.
     */
    static Path resolve(String configured, Map<String, String> variables) {
        if (configured.isEmpty()) {
            throw new DpException("--binary-path cannot be empty (expected: the Envoy executable, e.g. envoy)");
        }
        if (configured.contains("/") || configured.contains(File.separator)) {
            return executable(configured).orElseThrow(() -> new DpException("could not find the Envoy binary \""
                    + configured + "\": there is no executable file at that path (set --binary-path)"));
        }
        String path = variables.getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Optional<Path> found = executable(dir + File.separator + configured);
                if (found.isPresent()) {
                    return found.get();
                }
            }
        }
        throw new DpException("could not find the Envoy binary \"" + configured
                + "\" on PATH (set --binary-path)");
    }

    private static Optional<Path> executable(String candidate) {
        try {
            Path path = Path.of(candidate).toAbsolutePath();
            return Files.isRegularFile(path) && Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    /** Runs {@code <binary> --version} and parses what it prints. */
    static EnvoyVersion version(Path binary, Duration timeout) {
        String command = binary + " --version";
        Process process;
        try {
            process = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new DpException("could not run `" + command + "`: " + e.getMessage());
        }
        try {
            process.getOutputStream().close();
            String output = readBounded(process.getInputStream());
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new DpException("`" + command + "` did not finish within " + Durations.format(timeout));
            }
            if (process.exitValue() != 0) {
                throw new DpException("`" + command + "` failed with exit code " + process.exitValue() + ": "
                        + firstLine(output));
            }
            return EnvoyVersion.parse(output).orElseThrow(() -> new DpException("could not understand the output of `"
                    + command + "` (expected a line such as \"version: <commit>/1.24.2/Clean/RELEASE/BoringSSL\"; is"
                    + " it Envoy?): " + firstLine(output)));
        } catch (IOException e) {
            process.destroyForcibly();
            throw new DpException("could not read the output of `" + command + "`: " + e.getMessage());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new DpException("interrupted while running `" + command + "`");
        }
    }

    /**
     * The first non-blank line of another program's output, cut at 200 characters, and how many lines followed: a
     * wrong binary's banner must not bury the one line of the error that matters.
     */
    static String firstLine(String output) {
        List<String> lines = output.strip().lines().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) {
            return "(no output)";
        }
        String first = lines.get(0).strip();
        if (first.length() > 200) {
            first = first.substring(0, 200) + "…";
        }
        return lines.size() == 1 ? first : first + " (and " + (lines.size() - 1) + " more lines)";
    }

    /** Reads the first 64 KiB and discards the rest, so the process never blocks on a full pipe. */
    private static String readBounded(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_VERSION_OUTPUT);
        in.transferTo(OutputStream.nullOutputStream());
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
