package io.ursa.dp;

import static java.util.Objects.requireNonNull;

import io.ursa.api.dataplane.GrpcBootstrap;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Everything {@code grpc-agent} needs, checked: built from the flags by {@link GrpcAgentCommand}.
 *
 * @param controlPlanes the DP servers' URLs (one per control-plane instance), and for https how they are verified
 * @param mesh          the Dataplane's mesh
 * @param name          the Dataplane's name
 * @param service       the identifying service ({@code kuma.io/service}), when the definition tells it
 * @param definition    the Dataplane definition, registered by the control plane when the stream opens
 * @param token         the dataplane token, sent as {@code authorization: Bearer <token>}
 * @param certificates  where the certificate, key and CA go
 * @param bootstrapFile where to write the application's grpc bootstrap, if anywhere
 * @param backoff       how long to wait before opening the stream again
 */
record GrpcAgentConfig(ControlPlanes controlPlanes, String mesh, String name, Optional<String> service,
                       Optional<DataplaneDefinition> definition, DataplaneToken token,
                       GrpcBootstrap.CertificateFiles certificates, Optional<Path> bootstrapFile, Backoff backoff) {
    GrpcAgentConfig {
        requireNonNull(controlPlanes, "controlPlanes");
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

    /** The DP server's port: the URL's, else {@value #DEFAULT_DP_SERVER_PORT}. */
    static int port(ControlPlaneAddress controlPlane) {
        return controlPlane.port(DEFAULT_DP_SERVER_PORT);
    }

    /** {@code host:port} as a gRPC target and a bootstrap's {@code server_uri}. */
    static String target(ControlPlaneAddress controlPlane) {
        String host = controlPlane.host();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port(controlPlane);
    }

    /** {@code <mesh>.<name>}, the xDS node id. */
    String nodeId() {
        return mesh + "." + name;
    }
}
