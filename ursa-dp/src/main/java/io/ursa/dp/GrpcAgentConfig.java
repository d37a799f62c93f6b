package io.ursa.dp;

import static java.util.Objects.requireNonNull;

import io.ursa.api.dataplane.GrpcBootstrap;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Everything {@code grpc-agent} needs, checked: built from the flags by {@link GrpcAgentCommand}.
 *
 * @param controlPlane  the DP server's URL, and for https how it is verified
 * @param mesh          the Dataplane's mesh
 * @param name          the Dataplane's name
 * @param service       the identifying service ({@code kuma.io/service}), when the definition tells it
 * @param definition    the Dataplane definition, registered by the control plane when the stream opens
 * @param token         the dataplane token, sent as {@code authorization: Bearer <token>}
 * @param certificates  where the certificate, key and CA go
 * @param bootstrapFile where to write the application's grpc bootstrap, if anywhere
 * @param backoff       how long to wait before opening the stream again
 */
record GrpcAgentConfig(ControlPlaneAddress controlPlane, String mesh, String name, Optional<String> service,
                       Optional<DataplaneDefinition> definition, DataplaneToken token,
                       GrpcBootstrap.CertificateFiles certificates, Optional<Path> bootstrapFile, Backoff backoff) {
    GrpcAgentConfig {
        requireNonNull(controlPlane, "controlPlane");
        requireNonNull(mesh, "mesh");
        requireNonNull(name, "name");
        requireNonNull(service, "service");
        requireNonNull(definition, "definition");
        requireNonNull(token, "token");
        requireNonNull(certificates, "certificates");
        requireNonNull(bootstrapFile, "bootstrapFile");
        requireNonNull(backoff, "backoff");
    }

    static final int DEFAULT_DP_SERVER_PORT = 5678;

    /** The DP server's host, as gRPC dials it (an IPv6 address without brackets). */
    String host() {
        return controlPlane.host();
    }

    /** The DP server's port: the URL's, else {@value #DEFAULT_DP_SERVER_PORT}. */
    int port() {
        return controlPlane.port(DEFAULT_DP_SERVER_PORT);
    }

    /** {@code host:port} as a gRPC target and a bootstrap's {@code server_uri}. */
    String target() {
        String host = host();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
    }

    /** {@code <mesh>.<name>}, the xDS node id. */
    String nodeId() {
        return mesh + "." + name;
    }
}
