package io.ursa.dp;

import static java.util.Objects.requireNonNull;

import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.resource.ResourceTypes;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Everything the agent takes from the world outside: streams, environment variables, time, signals, the type
 * registry, its own build, the operating system it reports and the directory of the pipes the control plane
 * names ({@code /tmp}, see {@link AccessLogForwarder#pipe}), and the random source that picks the control-plane
 * instance to try first. Tests pass their own.
 */
record DpEnvironment(PrintWriter out, PrintWriter err, InputStream in, Map<String, String> variables, Clock clock,
                     Sleeper sleeper, ShutdownHooks shutdownHooks, ResourceTypes types, BuildInfo build,
                     String operatingSystem, Path pipeDir, RandomGenerator random) {
    DpEnvironment {
        requireNonNull(out, "out");
        requireNonNull(err, "err");
        requireNonNull(in, "in");
        variables = Map.copyOf(requireNonNull(variables, "variables"));
        requireNonNull(clock, "clock");
        requireNonNull(sleeper, "sleeper");
        requireNonNull(shutdownHooks, "shutdownHooks");
        requireNonNull(types, "types");
        requireNonNull(build, "build");
        requireNonNull(operatingSystem, "operatingSystem");
        requireNonNull(pipeDir, "pipeDir");
        requireNonNull(random, "random");
    }

    /** The real process: System streams and environment, system clock, JVM shutdown hooks. */
    static DpEnvironment system() {
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        java.util.List<String> notices = new java.util.ArrayList<>();
        Map<String, String> variables = KumaVariables.resolve(System.getenv(), notices);
        notices.forEach(err::println);
        return new DpEnvironment(
                new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true),
                err, System.in, variables, Clock.systemUTC(), Sleeper.real(), ShutdownHooks.jvm(),
                ResourceTypes.standard(), BuildInfo.fromManifest(), goos(System.getProperty("os.name", "")),
                AccessLogForwarder.PIPE_DIR, new SplittableRandom());
    }

    /** An environment variable; empty values count as unset, as in Kuma's config loader. */
    Optional<String> variable(String name) {
        String value = variables.get(name);
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    ResourceCodec codec() {
        return new ResourceCodec(types);
    }

    /** Go's {@code runtime.GOOS} spelling, which the control plane expects in the bootstrap request. */
    static String goos(String osName) {
        String name = osName.toLowerCase(Locale.ROOT);
        if (name.startsWith("linux")) {
            return "linux";
        }
        if (name.startsWith("mac") || name.startsWith("darwin")) {
            return "darwin";
        }
        if (name.startsWith("windows")) {
            return "windows";
        }
        return name.replace(" ", "");
    }
}
