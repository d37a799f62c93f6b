package io.ursa.e2e;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * A proxyless gRPC application as its Dataplane describes it: mesh, name, and one inbound
 * ({@code kuma.io/service}, {@code version}, {@code kuma.io/protocol: grpc}) on {@code port}, where a server
 * application listens. A client-only application has an inbound for its own service too (policies match sources
 * by it); nothing listens there.
 */
record App(String mesh, String name, String service, String version, int port) {
    /** The Dataplane definition every application renders with {@link #variables()}. */
    static final String TEMPLATE = """
            type: Dataplane
            mesh: {{mesh}}
            name: {{name}}
            networking:
              address: 127.0.0.1
              inbound:
              - port: {{port}}
                tags:
                  kuma.io/service: {{service}}
                  kuma.io/protocol: grpc
                  version: {{version}}
            """;

    App {
        requireNonNull(mesh, "mesh");
        requireNonNull(name, "name");
        requireNonNull(service, "service");
        requireNonNull(version, "version");
    }

    /** An instance of {@code service} in {@code mesh}, on a free port. */
    static App server(String mesh, String name, String service, String version) {
        return new App(mesh, name, service, version, freePort());
    }

    /** A client-only application whose own service is its name. */
    static App client(String mesh, String name) {
        return new App(mesh, name, name, "v1", freePort());
    }

    /** What the instance answers to {@link WhoAmI}: {@code <mesh>/<name>}, unique across meshes. */
    String instance() {
        return mesh + "/" + name;
    }

    /** The {@code -v} variables of {@link #TEMPLATE}. */
    Map<String, String> variables() {
        return Map.of("mesh", mesh, "name", name, "service", service, "version", version,
                "port", Integer.toString(port));
    }

    private static int freePort() {
        try {
            return CpProcess.freePort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
