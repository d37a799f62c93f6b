package io.ursa.api.dataplane;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursa.api.resource.Resource;
import io.ursa.api.spec.ProtoDuration;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The bootstrap JSON of a proxyless gRPC application ({@code io.grpc:grpc-xds}; {@code GRPC_XDS_BOOTSTRAP} or the
 * {@code io.grpc.xds.bootstrapConfig} system property), shaped like the one in {@code stack-notes.md} §2.
 *
 * <p>The xDS channel's TLS is the {@code tls} channel credentials of gRFC A65 with the control plane's CA as
 * {@code ca_certificate_file}. grpc-java (1.85) knows the type but ignores its config and trusts the JVM's default
 * roots only; the {@code ursa-grpc-xds-tls} module on the application's classpath replaces it with one that honours
 * the config.
 *
 * <p>grpc-xds cannot send an {@code authorization} header from its bootstrap, so the token, when there is one,
 * travels in the node metadata under {@value #TOKEN_METADATA_KEY}; the mesh under {@value #MESH_METADATA_KEY}.
 *
 * @param serverUri the ADS server as a gRPC target ({@code host:port})
 * @param channelCreds how the application secures its channel to the ADS server ({@code channel_creds}): TLS
 *                  verified against the control plane's CA, or plaintext for a control plane that runs with
 *                  {@code dpServer.plaintext}
 * @param mesh      the Dataplane's mesh
 * @param name      the Dataplane's name
 * @param cluster   the node cluster: the identifying service
 * @param token     the dataplane token, if the control plane requires one
 * @param dataplaneResource the Dataplane definition as Universal JSON, which the control plane registers when the
 *                  application connects (node metadata {@value #DATAPLANE_RESOURCE_METADATA_KEY}, as Envoy's);
 *                  empty when the Dataplane was created through the API
 * @param certificates where the application's identity is kept ({@code ursa-dp grpc-agent --certificates-dir}):
 *                  declared as the {@value #CERTIFICATE_PROVIDER} {@code file_watcher} certificate provider, which
 *                  xDS mTLS needs; empty for a bootstrap without mTLS
 */
public record GrpcBootstrap(String serverUri, ChannelCreds channelCreds, String mesh, String name, String cluster,
                            Optional<String> token, Optional<String> dataplaneResource,
                            Optional<CertificateFiles> certificates) {
    public static final String MESH_METADATA_KEY = "kuma.io/mesh";
    public static final String TOKEN_METADATA_KEY = "dataplane.token";
    public static final String DATAPLANE_RESOURCE_METADATA_KEY = "dataplane.resource";
    /** The node cluster of a proxy that serves no service. */
    public static final String UNKNOWN_SERVICE = "unknown";
    /**
     * The grpc {@code certificate_providers} instance that holds a proxyless application's identity: the xDS TLS
     * contexts Ursa generates name it, and the bootstrap declares it as a {@code file_watcher} over the files
     * below, which {@code ursa-dp grpc-agent} keeps fresh.
     */
    public static final String CERTIFICATE_PROVIDER = "ursa";
    /**
     * The grpc {@code certificate_providers} instance that the clusters toward other meshes' cross-mesh gateways
     * validate servers with: a {@code file_watcher} over the application's own certificate and key and the CA
     * roots of the meshes whose cross-mesh listeners its mesh reaches ({@value #CROSS_MESH_CA_FILE}), so that those
     * roots are trusted by those clusters only, never by the application's own inbounds.
     */
    public static final String CROSS_MESH_CERTIFICATE_PROVIDER = "ursa-cross-mesh";
    /** The certificate name the TLS contexts ask {@link #CERTIFICATE_PROVIDER} for. */
    public static final String CERTIFICATE_NAME = "default";
    /** In the certificates directory: the proxy's certificate (PEM). */
    public static final String CERTIFICATE_FILE = "cert.pem";
    /** In the certificates directory: the proxy's private key (PEM, PKCS#8). */
    public static final String PRIVATE_KEY_FILE = "key.pem";
    /** In the certificates directory: the CA certificates the proxy trusts (PEM). */
    public static final String CA_CERTIFICATE_FILE = "ca.pem";
    /**
     * In the certificates directory: the CA roots of the meshes whose cross-mesh gateway listeners the proxy's mesh
     * reaches (PEM; empty when it reaches none).
     */
    public static final String CROSS_MESH_CA_FILE = "cross-mesh-ca.pem";
    /**
     * In the certificates directory: the CA of the control plane's DP server (PEM), which {@code ursa-dp grpc-agent}
     * copies there from its {@code --ca-cert-file} for the bootstrap's {@code tls} channel credentials.
     */
    public static final String CONTROL_PLANE_CA_FILE = "cp-ca.pem";
    /**
     * Node metadata that marks an ADS stream as serving a proxyless gRPC application even though its user agent is
     * not grpc's own (the certificate agent, {@code ursa-dp grpc-agent}); value {@link #PROXYLESS_KIND_GRPC}.
     */
    public static final String PROXYLESS_KIND_METADATA_KEY = "ursa.dataplane.kind";
    public static final String PROXYLESS_KIND_GRPC = "grpc";
    /** The LDS name template of xDS-enabled gRPC servers ({@code XdsServerBuilder}). */
    public static final String SERVER_LISTENER_TEMPLATE = "grpc/server?xds.resource.listening_address=%s";

    private static final ObjectMapper JSON = new ObjectMapper();

    public GrpcBootstrap {
        requireNonNull(serverUri, "serverUri");
        if (serverUri.isEmpty()) {
            throw new IllegalArgumentException("invalid serverUri: \"\" (expected: host:port)");
        }
        requireNonNull(channelCreds, "channelCreds");
        requireNonNull(mesh, "mesh");
        requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("invalid name: \"\" (expected: the Dataplane's name)");
        }
        if (mesh.isEmpty() || mesh.indexOf('.') >= 0) {
            throw new IllegalArgumentException("invalid mesh: \"" + mesh + "\" (expected: a name without dots)");
        }
        requireNonNull(cluster, "cluster");
        requireNonNull(token, "token");
        requireNonNull(dataplaneResource, "dataplaneResource");
        requireNonNull(certificates, "certificates");
    }

    /** A bootstrap without a Dataplane definition: the Dataplane must exist when the application connects. */
    public GrpcBootstrap(String serverUri, ChannelCreds channelCreds, String mesh, String name, String cluster,
                         Optional<String> token) {
        this(serverUri, channelCreds, mesh, name, cluster, token, Optional.empty(), Optional.empty());
    }

    /** A bootstrap without a certificate provider. */
    public GrpcBootstrap(String serverUri, ChannelCreds channelCreds, String mesh, String name, String cluster,
                         Optional<String> token, Optional<String> dataplaneResource) {
        this(serverUri, channelCreds, mesh, name, cluster, token, dataplaneResource, Optional.empty());
    }

    /**
     * The {@code channel_creds} of the bootstrap's xDS server: TLS ({@code tls}, gRFC A65) or plaintext
     * ({@code insecure}). There is no default: plaintext is a choice the caller makes for a control plane whose DP
     * server runs with {@code dpServer.plaintext}.
     */
    public sealed interface ChannelCreds {
        /** {@code {"type":"insecure"}}: plaintext. */
        static ChannelCreds insecure() {
            return new Insecure();
        }

        /**
         * {@code {"type":"tls","config":{"ca_certificate_file":...}}} with a CA file (made absolute: the application
         * may run elsewhere), {@code {"type":"tls"}} without one (the JVM's default trust store).
         */
        static ChannelCreds tls(Optional<Path> caCertificateFile) {
            return new Tls(caCertificateFile);
        }

        /** Plaintext. */
        record Insecure() implements ChannelCreds {
        }

        /** TLS, verified against {@code caCertificateFile} only, or against the default roots without one. */
        record Tls(Optional<Path> caCertificateFile) implements ChannelCreds {
            public Tls {
                caCertificateFile = requireNonNull(caCertificateFile, "caCertificateFile")
                        .map(file -> file.toAbsolutePath().normalize());
            }
        }
    }

    /**
     * The certificate files of a proxyless application, in one directory, and how often grpc's {@code file_watcher}
     * reads them again. The directory is made absolute (the application may run elsewhere than the agent).
     */
    public record CertificateFiles(Path directory, Duration refreshInterval) {
        /** Rotated certificates are picked up within a second. */
        public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(1);

        public CertificateFiles {
            directory = requireNonNull(directory, "directory").toAbsolutePath().normalize();
            requireNonNull(refreshInterval, "refreshInterval");
            if (refreshInterval.isNegative() || refreshInterval.isZero()) {
                throw new IllegalArgumentException("invalid refresh interval: " + (refreshInterval.isNegative()
                        ? refreshInterval : new ProtoDuration(refreshInterval)) + " (expected: a positive duration)");
            }
        }

        /** The files in {@code directory}, read again every {@link #DEFAULT_REFRESH_INTERVAL}. */
        public static CertificateFiles in(Path directory) {
            return new CertificateFiles(directory, DEFAULT_REFRESH_INTERVAL);
        }

        /** The proxy's certificate ({@value GrpcBootstrap#CERTIFICATE_FILE}). */
        public Path certificateFile() {
            return directory.resolve(CERTIFICATE_FILE);
        }

        /** The proxy's private key ({@value GrpcBootstrap#PRIVATE_KEY_FILE}). */
        public Path privateKeyFile() {
            return directory.resolve(PRIVATE_KEY_FILE);
        }

        /** The CA certificates the proxy trusts ({@value GrpcBootstrap#CA_CERTIFICATE_FILE}). */
        public Path caCertificateFile() {
            return directory.resolve(CA_CERTIFICATE_FILE);
        }

        /** The CA roots of the reachable cross-mesh gateways' meshes ({@value GrpcBootstrap#CROSS_MESH_CA_FILE}). */
        public Path crossMeshCaFile() {
            return directory.resolve(CROSS_MESH_CA_FILE);
        }

        /** The control plane's CA ({@value GrpcBootstrap#CONTROL_PLANE_CA_FILE}). */
        public Path controlPlaneCaFile() {
            return directory.resolve(CONTROL_PLANE_CA_FILE);
        }
    }

    /** This bootstrap with the {@value #CERTIFICATE_PROVIDER} certificate provider over {@code files}. */
    public GrpcBootstrap withCertificates(CertificateFiles files) {
        return new GrpcBootstrap(serverUri, channelCreds, mesh, name, cluster, token, dataplaneResource,
                Optional.of(requireNonNull(files, "files")));
    }

    /** The bootstrap of {@code dataplane}, whose node cluster is its identifying service. */
    public static GrpcBootstrap of(String serverUri, ChannelCreds channelCreds, Resource<DataplaneSpec> dataplane,
                                   Optional<String> token) {
        return of(serverUri, channelCreds, dataplane, token, Optional.empty());
    }

    /**
     * The bootstrap of {@code dataplane}, whose node cluster is its identifying service (the alphabetically first
     * {@code kuma.io/service}), carrying {@code definition} for the control plane to register.
     */
    public static GrpcBootstrap of(String serverUri, ChannelCreds channelCreds, Resource<DataplaneSpec> dataplane,
                                   Optional<String> token, Optional<String> definition) {
        requireNonNull(dataplane, "dataplane");
        List<String> services = dataplane.spec().services();
        return new GrpcBootstrap(serverUri, channelCreds, dataplane.mesh(), dataplane.name(),
                services.isEmpty() ? UNKNOWN_SERVICE : services.get(0), token, definition);
    }

    /** {@code <mesh>.<name>}. */
    public String nodeId() {
        return mesh + "." + name;
    }

    /** The JSON document. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode server = root.putArray("xds_servers").addObject();
        server.put("server_uri", serverUri);
        ObjectNode creds = server.putArray("channel_creds").addObject();
        if (channelCreds instanceof ChannelCreds.Tls tls) {
            creds.put("type", "tls");
            tls.caCertificateFile().ifPresent(file ->
                    creds.putObject("config").put("ca_certificate_file", file.toString()));
        } else {
            creds.put("type", "insecure");
        }
        server.putArray("server_features").add("xds_v3");
        ObjectNode node = root.putObject("node");
        node.put("id", nodeId());
        node.put("cluster", cluster);
        ObjectNode metadata = node.putObject("metadata");
        metadata.put(MESH_METADATA_KEY, mesh);
        token.ifPresent(t -> metadata.put(TOKEN_METADATA_KEY, t));
        dataplaneResource.ifPresent(r -> metadata.put(DATAPLANE_RESOURCE_METADATA_KEY, r));
        root.put("server_listener_resource_name_template", SERVER_LISTENER_TEMPLATE);
        certificates.ifPresent(files -> {
            ObjectNode providers = root.putObject("certificate_providers");
            fileWatcher(providers.putObject(CERTIFICATE_PROVIDER), files, files.caCertificateFile());
            fileWatcher(providers.putObject(CROSS_MESH_CERTIFICATE_PROVIDER), files, files.crossMeshCaFile());
        });
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the gRPC bootstrap", e);
        }
    }

    /** A {@code file_watcher} provider over the proxy's certificate and key, trusting {@code caFile}. */
    private static void fileWatcher(ObjectNode provider, CertificateFiles files, Path caFile) {
        provider.put("plugin_name", "file_watcher");
        ObjectNode config = provider.putObject("config");
        config.put("certificate_file", files.certificateFile().toString());
        config.put("private_key_file", files.privateKeyFile().toString());
        config.put("ca_certificate_file", caFile.toString());
        config.put("refresh_interval", new ProtoDuration(files.refreshInterval()).toString());
    }
}
