package io.ursa.cp;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * Not a command: the build runs it once, with {@code -XX:ArchiveClassesAtExit}, to record the classes
 * {@code ursa-cp} loads at start into a class-data-sharing archive that {@code bin/launch.sh} maps
 * (docs/performance.md, "Start time of the programs"). It prints help and the version, then starts a control plane
 * on the memory store with free loopback ports, as {@code ursa-cp run} does, and stops it once it is ready.
 */
final class StartupTraining {
    private StartupTraining() {
    }

    public static void main(String[] args) throws IOException {
        for (String[] command : new String[][] {{"--help"}, {"run", "--help"}, {"version", "--detailed"}}) {
            CommandLine commandLine = UrsaCp.commandLine();
            commandLine.setOut(new PrintWriter(new StringWriter()));
            commandLine.execute(command);
        }
        Path work = Files.createTempDirectory("ursa-cp-training");
        try {
            Map<String, String> env = Map.of(
                    "URSA_STORE_TYPE", "memory",
                    "URSA_LOGGING_LEVEL", "error",
                    "URSA_API_SERVER_HTTP_PORT", Integer.toString(freePort()),
                    "URSA_API_SERVER_HTTPS_PORT", Integer.toString(freePort()),
                    "URSA_DP_SERVER_PORT", Integer.toString(freePort()),
                    "URSA_DIAGNOSTICS_SERVER_PORT", Integer.toString(freePort()),
                    "URSA_STORE_EMBEDDED_DIR", work.resolve("store").toString());
            LogLevel.apply("error"); // the start logs its settings before it reads the level from them
            long start = System.nanoTime();
            try (ControlPlane cp = ControlPlane.start(null, env)) {
                System.out.printf("ursa-cp start-up training: a control plane started in %d ms%n",
                        (System.nanoTime() - start) / 1_000_000);
            }
        } finally {
            try (Stream<Path> paths = Files.walk(work)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
