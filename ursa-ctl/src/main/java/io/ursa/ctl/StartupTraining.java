package io.ursa.ctl;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ursa.api.resource.ResourceTypes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Not a command: the build runs it once, with {@code -XX:ArchiveClassesAtExit}, to record the classes ursactl
 * loads into a class-data-sharing archive that {@code bin/launch.sh} maps at start (docs/performance.md, "Start
 * time of the programs"). It runs the commands people run most (help, get, inspect, apply, delete, config) against a
 * loopback stand-in for the control plane's API, in a temporary home directory; what they print is discarded.
 * A command that fails here only records fewer classes, so failures are counted and reported, not fatal.
 */
final class StartupTraining {
    private static final String MESHES = "{\"total\":1,\"items\":[{\"type\":\"Mesh\",\"name\":\"default\","
            + "\"creationTime\":\"2024-05-01T10:00:00Z\",\"modificationTime\":\"2024-05-01T10:00:00Z\","
            + "\"mtls\":{\"enabledBackend\":\"ca-1\",\"backends\":[{\"name\":\"ca-1\",\"type\":\"builtin\"}]}}],"
            + "\"next\":null}";
    private static final String DATAPLANES = "{\"total\":1,\"items\":[{\"type\":\"DataplaneOverview\","
            + "\"mesh\":\"default\",\"name\":\"web-1\",\"creationTime\":\"2024-05-01T10:00:00Z\","
            + "\"modificationTime\":\"2024-05-01T10:00:00Z\",\"dataplane\":{\"networking\":{\"address\":\"10.0.0.1\","
            + "\"inbound\":[{\"port\":8080,\"tags\":{\"kuma.io/service\":\"web\",\"kuma.io/protocol\":\"http\"}}]}},"
            + "\"dataplaneInsight\":{\"subscriptions\":[{\"id\":\"1\",\"controlPlaneInstanceId\":\"cp-1\","
            + "\"connectTime\":\"2024-05-01T10:00:01Z\",\"status\":{\"total\":{\"responsesSent\":\"3\","
            + "\"responsesAcknowledged\":\"3\"}}}]}}],\"next\":null}";
    private static final String NOT_FOUND = "{\"title\":\"Could not get a resource\",\"details\":\"Not found\"}";
    private static final String MANIFEST = """
            type: Mesh
            name: training
            mtls:
              enabledBackend: ca-1
              backends:
                - name: ca-1
                  type: builtin
            ---
            type: TrafficPermission
            name: allow-all
            mesh: training
            sources:
              - match:
                  kuma.io/service: '*'
            destinations:
              - match:
                  kuma.io/service: '*'
            """;

    private StartupTraining() {
    }

    public static void main(String[] args) throws IOException {
        Path home = Files.createTempDirectory("ursactl-training");
        HttpServer api = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        api.createContext("/", StartupTraining::answer);
        api.start();
        List<String> failed = new ArrayList<>();
        int commandsRun = 0;
        try {
            Path manifest = Files.writeString(home.resolve("manifest.yaml"), MANIFEST);
            String address = "http://127.0.0.1:" + api.getAddress().getPort();
            List<String[]> commands = List.of(
                    new String[] {"--help"},
                    new String[] {"get", "--help"},
                    new String[] {"apply", "--help"},
                    new String[] {"config", "control-planes", "add", "--name", "training", "--address", address},
                    new String[] {"get", "meshes"},
                    new String[] {"get", "meshes", "-o", "yaml"},
                    new String[] {"get", "meshes", "-o", "json"},
                    new String[] {"get", "mesh", "default"},
                    new String[] {"get", "dataplanes"},
                    new String[] {"get", "traffic-permissions", "--mesh", "default"},
                    new String[] {"inspect", "dataplanes"},
                    new String[] {"inspect", "meshes"},
                    new String[] {"apply", "-f", manifest.toString()},
                    new String[] {"delete", "traffic-permission", "allow-all", "--mesh", "training"},
                    new String[] {"config", "view"},
                    new String[] {"version"},
                    new String[] {"get", "traffic-permission", "missing", "--mesh", "default"},
                    new String[] {"get", "mehses"});
            commandsRun = commands.size();
            for (String[] command : commands) {
                if (run(home, command) != 0) {
                    failed.add(String.join(" ", command));
                }
            }
        } finally {
            api.stop(0);
            deleteTree(home);
        }
        // Two commands fail on purpose (a missing resource, and an unknown type for its suggestion); any other shows up here.
        System.out.println("ursactl start-up training: " + commandsRun + " commands, these answered an error: "
                + failed);
    }

    private static int run(Path home, String... args) {
        StringWriter sink = new StringWriter();
        CtlEnvironment env = new CtlEnvironment(new PrintWriter(sink), new PrintWriter(sink),
                new ByteArrayInputStream(new byte[0]), Clock.systemUTC(), home, ResourceTypes.standard());
        return UrsaCtl.run(env, args);
    }

    private static void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        exchange.getRequestBody().readAllBytes();
        String body;
        int status = 200;
        if (exchange.getRequestMethod().equals("PUT")) {
            body = exchange.getRequestURI().getQuery() != null
                    ? "{\"dryRun\":true,\"outcome\":\"created\"}" : "{}";
            status = exchange.getRequestURI().getQuery() != null ? 200 : 201;
        } else if (exchange.getRequestMethod().equals("DELETE")) {
            body = "{}";
        } else if (path.equals("/")) {
            body = "{\"hostname\":\"training\",\"tagline\":\"Kuma\",\"version\":\"2.0.8\"}";
        } else if (path.equals("/meshes")) {
            body = MESHES;
        } else if (path.endsWith("/dataplanes+insights") || path.endsWith("/dataplanes")) {
            body = DATAPLANES;
        } else if (path.equals("/meshes/default")) {
            body = "{\"type\":\"Mesh\",\"name\":\"default\",\"creationTime\":\"2024-05-01T10:00:00Z\","
                    + "\"modificationTime\":\"2024-05-01T10:00:00Z\"}";
        } else if (path.endsWith("/missing")) {
            status = 404;
            body = NOT_FOUND;
        } else {
            body = "{\"total\":0,\"items\":[],\"next\":null}";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            List<Path> all = new ArrayList<>(paths.sorted(Comparator.reverseOrder()).toList());
            for (Path path : all) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
