package io.ursa.xds.bootstrap;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.resource.Resource;
import java.util.Optional;

/**
 * The bootstrap JSON of a proxyless gRPC application ({@code io.grpc:grpc-xds}; {@code GRPC_XDS_BOOTSTRAP} or the
 * {@code io.grpc.xds.bootstrapConfig} system property), shaped like the one in {@code stack-notes.md} §2.
 *
 * <p>grpc-xds cannot send an {@code authorization} header from its bootstrap, so the token, when there is one,
 * travels in the node metadata under {@value #TOKEN_METADATA_KEY}; the mesh under {@value #MESH_METADATA_KEY}.
 *
 * @param serverUri the ADS server as a gRPC target ({@code host:port})
 * @param mesh      the Dataplane's mesh
 * @param name      the Dataplane's name
 * @param cluster   the node cluster: the identifying service
 * @param token     the dataplane token, if the control plane requires one
 */
public record GrpcBootstrap(String serverUri, String mesh, String name, String cluster, Optional<String> token) {
    public static final String MESH_METADATA_KEY = "kuma.io/mesh";
    public static final String TOKEN_METADATA_KEY = "dataplane.token";
    /** The LDS name template of xDS-enabled gRPC servers ({@code XdsServerBuilder}). */
    public static final String SERVER_LISTENER_TEMPLATE = "grpc/server?xds.resource.listening_address=%s";

    private static final ObjectMapper JSON = new ObjectMapper();

    public GrpcBootstrap {
        requireNonNull(serverUri, "serverUri");
        if (serverUri.isEmpty()) {
            throw new IllegalArgumentException("invalid serverUri: \"\" (expected: host:port)");
        }
        requireNonNull(mesh, "mesh");
        requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("invalid name: \"\" (expected: the Dataplane's name)");
        }
        ProxyIdentity.nodeId(mesh, name);
        requireNonNull(cluster, "cluster");
        requireNonNull(token, "token");
    }

    /** The bootstrap of {@code dataplane}, whose node cluster is its identifying service. */
    public static GrpcBootstrap of(String serverUri, Resource<DataplaneSpec> dataplane, Optional<String> token) {
        requireNonNull(dataplane, "dataplane");
        return new GrpcBootstrap(serverUri, dataplane.mesh(), dataplane.name(),
                ProxyIdentity.service(dataplane.spec()), token);
    }

    /** {@code <mesh>.<name>}. */
    public String nodeId() {
        return ProxyIdentity.nodeId(mesh, name);
    }

    /** The JSON document. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode server = root.putArray("xds_servers").addObject();
        server.put("server_uri", serverUri);
        server.putArray("channel_creds").addObject().put("type", "insecure");
        server.putArray("server_features").add("xds_v3");
        ObjectNode node = root.putObject("node");
        node.put("id", nodeId());
        node.put("cluster", cluster);
        ObjectNode metadata = node.putObject("metadata");
        metadata.put(MESH_METADATA_KEY, mesh);
        token.ifPresent(t -> metadata.put(TOKEN_METADATA_KEY, t));
        root.put("server_listener_resource_name_template", SERVER_LISTENER_TEMPLATE);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the gRPC bootstrap", e);
        }
    }
}
