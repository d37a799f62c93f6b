package io.ursa.dp;

import io.ursa.api.resource.ResourceTypes;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Not a command: the build runs it once, with {@code -XX:ArchiveClassesAtExit}, to record the classes
 * {@code ursa-dp} loads at start into a class-data-sharing archive that {@code bin/launch.sh} maps
 * (docs/performance.md, "Start time of the programs"). It runs help, version and a {@code run} refused before it
 * reaches a control plane (its token file is missing); what they print is discarded.
 */
final class StartupTraining {
    private StartupTraining() {
    }

    public static void main(String[] args) {
        List<String[]> commands = List.of(
                new String[] {"--help"},
                new String[] {"run", "--help"},
                new String[] {"grpc-agent", "--help"},
                new String[] {"version"},
                new String[] {"run", "--mesh", "default", "--name", "training", "--cp-address",
                        "https://127.0.0.1:5678", "--dataplane-token-file", "/nonexistent/ursa-training.token"});
        List<String> failed = new ArrayList<>();
        for (String[] command : commands) {
            StringWriter sink = new StringWriter();
            DpEnvironment env = new DpEnvironment(new PrintWriter(sink), new PrintWriter(sink),
                    InputStream.nullInputStream(), Map.of(), Clock.systemUTC(), Sleeper.real(), ShutdownHooks.jvm(),
                    ResourceTypes.standard(), BuildInfo.fromManifest(), "linux", AccessLogForwarder.PIPE_DIR,
                    new java.util.SplittableRandom());
            if (UrsaDp.commandLine(env).execute(command) != 0) {
                failed.add(String.join(" ", command));
            }
        }
        // The last command fails on purpose (a missing token file); any other shows up here.
        System.out.println("ursa-dp start-up training: " + commands.size() + " commands, these answered an error: "
                + failed);
    }
}
