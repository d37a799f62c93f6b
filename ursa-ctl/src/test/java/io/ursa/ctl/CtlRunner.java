package io.ursa.ctl;

import io.ursa.api.resource.ResourceTypes;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs ursactl in-process with captured stdout/stderr, a fixed clock, a temporary home directory and an
 * explicit {@code --config-file}, so no test touches the real {@code ~/.ursactl}.
 */
final class CtlRunner {
    static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");

    private final Path home;
    private final Clock clock;
    private TransparentProxyHost host = new SystemHost();

    CtlRunner(Path home) {
        this(home, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    CtlRunner(Path home, Clock clock) {
        this.home = home;
        this.clock = clock;
    }

    /** Runs against {@code host} instead of this machine ({@code install transparent-proxy}). */
    CtlRunner withHost(TransparentProxyHost host) {
        this.host = host;
        return this;
    }

    Path configFile() {
        return home.resolve(".ursactl").resolve("config");
    }

    Result run(String... args) {
        return runWithStdin("", args);
    }

    Result runWithStdin(String stdin, String... args) {
        List<String> all = new ArrayList<>(List.of("--config-file", configFile().toString()));
        all.addAll(List.of(args));
        return runExactly(stdin, all.toArray(String[]::new));
    }

    /** Runs {@code args} as given, without the {@code --config-file} of {@link #run}: the home directory's file. */
    Result runExactly(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CtlEnvironment env = new CtlEnvironment(new PrintWriter(out, true), new PrintWriter(err, true),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), clock, home,
                ResourceTypes.standard(), host);
        int code = UrsaCtl.run(env, args);
        return new Result(code, out.toString(), err.toString());
    }

    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }
}
