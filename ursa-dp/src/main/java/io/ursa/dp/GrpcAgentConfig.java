package io.ursa.dp;

import static java.util.Objects.requireNonNull;

import io.ursa.api.dataplane.GrpcBootstrap;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Everything {@code grpc-agent} needs, checked: built from the flags by {@link GrpcAgentCommand}.
 *
 * @param host          the DP server's host, as gRPC dials it (an IPv6 address without brackets)
 * @param port          the DP server's port
 * @param mesh          the Dataplane's mesh
 * @param name          the Dataplane's name
 * @param service       the identifying service ({@code kuma.io/service}), when the definition tells it
 * @param definition    the Dataplane definition, registered by the control plane when the stream opens
 * @param token         the dataplane token, sent as {@code authorization: Bearer <token>}
 * @param certificates  where the certificate, key and CA go
 * @param bootstrapFile where to write the application's grpc bootstrap, if anywhere
 * @param backoff       how long to wait before opening the stream again
 */
record GrpcAgentConfig(String host, int port, String mesh, String name, Optional<String> service,
                       Optional<DataplaneDefinition> definition, DataplaneToken token,
                       GrpcBootstrap.CertificateFiles certificates, Optional<Path> bootstrapFile, Backoff backoff) {
    GrpcAgentConfig {
        requireNonNull(host, "host");
        requireNonNull(mesh, "mesh");
        requireNonNull(name, "name");
        requireNonNull(service, "service");
        requireNonNull(definition, "definition");
        requireNonNull(token, "token");
        requireNonNull(certificates, "certificates");
        requireNonNull(bootstrapFile, "bootstrapFile");
        requireNonNull(backoff, "backoff");
    }

    /** {@code host:port} as a gRPC target and a bootstrap's {@code server_uri}. */
    String target() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** {@code <mesh>.<name>}, the xDS node id. */
    String nodeId() {
        return mesh + "." + name;
    }
}
