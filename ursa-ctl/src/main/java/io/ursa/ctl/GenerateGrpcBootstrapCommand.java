package io.ursa.ctl;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.ursa.api.codec.DecodeException;
import io.ursa.api.codec.Json;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.dataplane.DataplaneTemplate;
import io.ursa.api.dataplane.GrpcBootstrap;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code generate grpc-bootstrap}: the bootstrap JSON a proxyless gRPC application ({@code io.grpc:grpc-xds}) reads
 * from {@code GRPC_XDS_BOOTSTRAP}. Its identity follows {@code ursa-dp run}: the Dataplane comes from a definition
 * ({@code --dataplane-file}/{@code --dataplane}, rendered with {@code -v}, validated here and registered by the
 * control plane when the application connects) or, without one, is the existing Dataplane {@code --mesh}/{@code
 * --name}, read from the API. The dataplane token, when given, goes into the node metadata. With {@code
 * --certificates-dir}, the bootstrap declares grpc's {@code file_watcher} certificate provider over the files that
 * {@code ursa-dp grpc-agent} keeps in that directory, which xDS mTLS needs.
 *
 * <p>The xDS channel is TLS (the {@code tls} channel credentials of gRFC A65) unless {@code --cp-address} says
 * {@code http://}: verified against {@code --ca-cert-file}, named by its absolute path, or without it against the
 * application's default trust store. grpc-java honours that file only with {@code ursa-grpc-xds-tls} on the
 * application's classpath (see {@code GrpcBootstrap}).
 */
@Command(name = "grpc-bootstrap", description = "Generate the xDS bootstrap of a proxyless gRPC application.",
        footerHeading = "%nExamples:%n", footer = {
                "  ursactl generate grpc-bootstrap --mesh demo --name web-1 --dataplane-token-file token > bootstrap.json",
                "  ursactl generate grpc-bootstrap --dataplane-file web.yaml -v port=8080 \\",
                "      --cp-address https://cp.internal:5678 --ca-cert-file cp-ca.pem",
                "  ursactl generate grpc-bootstrap --mesh demo --name web-1 --certificates-dir /var/run/ursa/web-1",
                "  GRPC_XDS_BOOTSTRAP=bootstrap.json java -jar app.jar"})
final class GenerateGrpcBootstrapCommand implements Callable<Integer> {
    static final int DEFAULT_DP_SERVER_PORT = 5678;
    private static final Pattern JWT = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");

    @Option(names = {"-m", "--mesh"}, paramLabel = "MESH", defaultValue = "",
            description = "mesh of the Dataplane (with a definition: must match it)")
    String mesh;

    @Option(names = "--name", paramLabel = "NAME", defaultValue = "",
            description = "name of the Dataplane (with a definition: must match it)")
    String name;

    @Option(names = "--cp-address", paramLabel = "URL", defaultValue = "",
            description = "the control plane's DP server as the application reaches it: https://host:port (TLS),"
                    + " or http://host:port for a control plane that runs with dpServer.plaintext; a bare host:port"
                    + " means https (default: https://<host of the current control plane's API>:"
                    + DEFAULT_DP_SERVER_PORT + ")")
    String cpAddress;

    @Option(names = "--ca-cert-file", paramLabel = "FILE",
            description = "the control plane's CA (PEM, served at GET /control-plane/ca.pem on its API), which the"
                    + " application verifies the DP server against: the bootstrap names it by its absolute path"
                    + " (tls channel credentials, ca_certificate_file); without it, the application's default trust"
                    + " store. Only with https")
    Path caCertFile;

    @Option(names = {"-d", "--dataplane-file"}, paramLabel = "FILE",
            description = "the application's Dataplane definition (a Mustache template), registered when it connects")
    Path dataplaneFile;

    @Option(names = "--dataplane", paramLabel = "YAML", description = "the Dataplane definition, inline")
    String dataplane;

    @Option(names = {"-v", "--dataplane-var"}, paramLabel = "KEY=VALUE",
            description = "a variable of the definition template; repeatable")
    Map<String, String> variables = new LinkedHashMap<>();

    @Option(names = "--dataplane-token-file", paramLabel = "FILE",
            description = "file with the dataplane token (`ursactl generate dataplane-token`)")
    Path tokenFile;

    @Option(names = "--dataplane-token", paramLabel = "TOKEN", description = "the dataplane token, inline")
    String token;

    @Option(names = "--certificates-dir", paramLabel = "DIR",
            description = "directory where `ursa-dp grpc-agent` keeps the application's certificate, key and CA"
                    + " (cert.pem, key.pem, ca.pem): declared as the bootstrap's file_watcher certificate provider,"
                    + " for mTLS")
    Path certificatesDir;

    @Option(names = "--certificates-refresh-interval", paramLabel = "DURATION",
            converter = Durations.Converter.class,
            description = "how often the application reads the certificate files again (default: 1s)")
    Duration certificatesRefreshInterval;

    private final RootCommand root;

    GenerateGrpcBootstrapCommand(RootCommand root) {
        this.root = requireNonNull(root, "root");
    }

    @Override
    public Integer call() {
        Optional<String> presentedToken = token();
        ResourceCodec codec = new ResourceCodec(ResourceTypes.standard());
        Optional<DataplaneTemplate> definition = definition(codec);
        Resource<DataplaneSpec> resource;
        if (definition.isPresent()) {
            resource = definition.get().resource().as(ResourceTypes.DATAPLANE);
            requireMatch("--mesh", mesh, resource.mesh());
            requireMatch("--name", name, resource.name());
        } else {
            if (mesh.isEmpty() || name.isEmpty()) {
                throw new UsageException("--mesh and --name are required without a Dataplane definition (or pass"
                        + " --dataplane-file to have the control plane register the application)");
            }
            resource = existing(codec);
        }
        DpServer server = dpServer();
        GrpcBootstrap.ChannelCreds channelCreds = channelCreds(server);
        GrpcBootstrap bootstrap;
        try {
            bootstrap = GrpcBootstrap.of(server.hostPort(), channelCreds, resource, presentedToken,
                    definition.map(DataplaneTemplate::json));
            Optional<GrpcBootstrap.CertificateFiles> certificates = certificates();
            if (certificates.isPresent()) {
                bootstrap = bootstrap.withCertificates(certificates.get());
            }
        } catch (IllegalArgumentException e) {
            throw new CtlException("cannot write the bootstrap: " + e.getMessage());
        }
        root.env().out().println(bootstrap.toJson());
        root.env().out().flush();
        return 0;
    }

    private Optional<GrpcBootstrap.CertificateFiles> certificates() {
        if (certificatesDir == null) {
            if (certificatesRefreshInterval != null) {
                throw new UsageException("--certificates-refresh-interval is only used with --certificates-dir");
            }
            return Optional.empty();
        }
        Duration refresh = certificatesRefreshInterval == null
                ? GrpcBootstrap.CertificateFiles.DEFAULT_REFRESH_INTERVAL : certificatesRefreshInterval;
        if (refresh.isZero()) {
            throw new UsageException("invalid --certificates-refresh-interval: 0s (expected: a positive duration,"
                    + " e.g. 1s)");
        }
        return Optional.of(new GrpcBootstrap.CertificateFiles(certificatesDir, refresh));
    }

    private Optional<DataplaneTemplate> definition(ResourceCodec codec) {
        if (dataplaneFile != null && dataplane != null) {
            throw new UsageException("--dataplane and --dataplane-file cannot both be given (expected: one definition)");
        }
        String text;
        String source;
        if (dataplaneFile != null) {
            text = read(dataplaneFile, "the Dataplane definition");
            source = dataplaneFile.toString();
        } else if (dataplane != null) {
            text = dataplane;
            source = "--dataplane";
        } else {
            if (!variables.isEmpty()) {
                throw new CtlException("-v is only used with --dataplane-file or --dataplane");
            }
            return Optional.empty();
        }
        try {
            return Optional.of(DataplaneTemplate.load(text, source, variables, ResourceTypes.DATAPLANE, codec));
        } catch (DataplaneTemplate.InvalidTemplateException e) {
            throw new CtlException(e.getMessage());
        }
    }

    private Resource<DataplaneSpec> existing(ResourceCodec codec) {
        String path = "/meshes/" + mesh + "/dataplanes/" + name;
        ApiResponse response = root.client().get(path);
        if (response.isNotFound()) {
            throw new CtlException("there is no Dataplane " + name + " in mesh " + mesh + " (create it first, or pass"
                    + " --dataplane-file to have the control plane register the application when it connects)");
        }
        if (!response.isSuccess()) {
            throw new CtlException("failed to read Dataplane " + mesh + "/" + name + ": " + response.errorMessage());
        }
        try {
            JsonNode document = codec.parseJson(response.body());
            return codec.decode(document).as(ResourceTypes.DATAPLANE);
        } catch (DecodeException | IllegalArgumentException e) {
            throw new CtlException("the control plane answered an unreadable Dataplane for " + path + ": "
                    + e.getMessage());
        }
    }

    private Optional<String> token() {
        if (token != null) {
            return Optional.of(checkedToken(token.strip(), "--dataplane-token"));
        }
        if (tokenFile != null) {
            String content = read(tokenFile, "the dataplane token file").strip();
            if (content.isEmpty()) {
                throw new CtlException("the dataplane token file " + tokenFile + " is empty");
            }
            return Optional.of(checkedToken(content, "the dataplane token file " + tokenFile));
        }
        return Optional.empty();
    }

    private static String checkedToken(String value, String source) {
        if (!JWT.matcher(value).matches()) {
            throw new CtlException(source + " does not hold a valid token (expected: a JWT, three base64url parts"
                    + " separated by dots, as `ursactl generate dataplane-token` prints it)");
        }
        return value;
    }

    /** The DP server as the bootstrap names it ({@code host:port}), and whether it speaks TLS. */
    private record DpServer(String hostPort, boolean tls) {
        String url() {
            return (tls ? "https://" : "http://") + hostPort;
        }
    }

    /**
     * From the flag ({@code https://host[:port]}, {@code http://host[:port]}, or {@code host[:port]} as https) or,
     * without it, https to the current control plane's API host; the port defaults to
     * {@value #DEFAULT_DP_SERVER_PORT}.
     */
    private DpServer dpServer() {
        if (cpAddress.isBlank()) {
            String api = root.config().currentControlPlane().map(cp -> cp.url()).orElseThrow(() ->
                    new UsageException("--cp-address is required when no control plane is configured"));
            return new DpServer(host(RootCommand.parseAddress(api).getHost()) + ":" + DEFAULT_DP_SERVER_PORT, true);
        }
        String value = cpAddress.strip();
        if (!value.contains("://")) {
            value = "https://" + value;
        }
        String expected = " (expected: https://host:port, http://host:port for a plaintext control plane, or"
                + " host:port)";
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new UsageException("invalid --cp-address " + cpAddress + ": " + e.getReason() + expected);
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null
                || !(uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))) {
            throw new UsageException("invalid --cp-address " + cpAddress + expected);
        }
        int port = uri.getPort() > 0 ? uri.getPort() : DEFAULT_DP_SERVER_PORT;
        return new DpServer(host(uri.getHost()) + ":" + port, scheme.equals("https"));
    }

    /**
     * TLS with the CA file (checked to hold a certificate), TLS with the default roots without one (said on stderr),
     * or plaintext for an http address.
     */
    private GrpcBootstrap.ChannelCreds channelCreds(DpServer server) {
        if (!server.tls()) {
            if (caCertFile != null) {
                throw new UsageException("--ca-cert-file is only used with an https --cp-address (the control plane"
                        + " at " + server.url() + " is plaintext)");
            }
            return GrpcBootstrap.ChannelCreds.insecure();
        }
        if (caCertFile == null) {
            root.env().err().println("Note: without --ca-cert-file the application verifies the control plane at "
                    + server.url() + " against its JVM's default trust store; the control plane's own CA is served"
                    + " at GET /control-plane/ca.pem on its API");
            root.env().err().flush();
            return GrpcBootstrap.ChannelCreds.tls(Optional.empty());
        }
        String pem = read(caCertFile, "the CA certificate file");
        try {
            if (CertificateFactory.getInstance("X.509").generateCertificates(
                    new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))).isEmpty()) {
                throw new CtlException("the CA certificate file " + caCertFile + " holds no certificate (expected:"
                        + " PEM)");
            }
        } catch (GeneralSecurityException e) {
            throw new CtlException("the CA certificate file " + caCertFile + " does not hold a PEM certificate: "
                    + e.getMessage());
        }
        return GrpcBootstrap.ChannelCreds.tls(Optional.of(caCertFile));
    }

    private static String host(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static void requireMatch(String flag, String given, String actual) {
        if (!given.isEmpty() && !given.equals(actual)) {
            throw new CtlException(flag + " " + given + " does not match the Dataplane definition, which says "
                    + actual);
        }
    }

    private static String read(Path file, String what) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CtlException("could not read " + what + " " + file + ": " + e.getMessage());
        }
    }
}
