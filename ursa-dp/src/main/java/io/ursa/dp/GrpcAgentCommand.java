package io.ursa.dp;

import static java.util.Objects.requireNonNull;

import io.ursa.api.dataplane.GrpcBootstrap;
import io.ursa.api.resource.ResourceTypes;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ursa-dp grpc-agent}: the certificate agent of a proxyless gRPC application (see {@link CertificateAgent}).
 * Its identity flags are those of {@code run} (and take the same {@code URSA_*} variables); every input is checked
 * before the control plane is contacted.
 */
@Command(name = "grpc-agent", sortOptions = false,
        description = "Keep the certificate, key and CA of a proxyless gRPC application (grpc-xds) fresh in files,"
                + " which its bootstrap's file_watcher certificate provider reads, until stopped.",
        footerHeading = "%nExamples:%n", footer = {
                "  ursa-dp grpc-agent --cp-address https://cp:5678 --ca-cert-file cp-ca.pem \\",
                "      --dataplane-file orders.yaml -v index=1 \\",
                "      --dataplane-token-file orders-1.token \\",
                "      --certificates-dir /run/orders/certs \\",
                "      --bootstrap-file /run/orders/bootstrap.json",
                "  GRPC_XDS_BOOTSTRAP=/run/orders/bootstrap.json java -jar orders.jar"})
final class GrpcAgentCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Mixin
    ProxyIdentityOptions proxyFlags = new ProxyIdentityOptions();

    @Option(names = {"-d", "--dataplane-file"}, paramLabel = "FILE",
            description = "file with the application's Dataplane template (YAML or JSON; - for stdin), registered"
                    + " by the control plane while the agent is connected")
    String dataplaneFile;

    @Option(names = "--certificates-dir", paramLabel = "DIR", required = true,
            description = "directory to keep the certificate, key and CA in (" + GrpcBootstrap.CERTIFICATE_FILE
                    + ", " + GrpcBootstrap.PRIVATE_KEY_FILE + ", " + GrpcBootstrap.CA_CERTIFICATE_FILE
                    + "); created if missing")
    Path certificatesDir;

    @Option(names = "--bootstrap-file", paramLabel = "FILE",
            description = "also write the application's gRPC bootstrap here (for GRPC_XDS_BOOTSTRAP), with the"
                    + " certificate provider over --certificates-dir and, over https, TLS to the control plane"
                    + " verified against the --ca-cert-file CA (copied to " + GrpcBootstrap.CONTROL_PLANE_CA_FILE
                    + " in --certificates-dir)")
    Path bootstrapFile;

    private final DpEnvironment env;

    GrpcAgentCommand(DpEnvironment env) {
        this.env = requireNonNull(env, "env");
    }

    @Override
    public Integer call() {
        Logger log = root.log();
        CertificateAgent agent = new CertificateAgent(configure(log), env, log);
        env.shutdownHooks().onSignal(agent::stopOnSignal);
        return agent.run();
    }

    /** Checks every input and turns them into a {@link GrpcAgentConfig}; a bad input is a {@link DpException}. */
    GrpcAgentConfig configure(Logger log) {
        ControlPlanes controlPlane = proxyFlags.controlPlanes(env, log);
        Optional<DataplaneDefinition> definition = definition();
        ProxyIdentityOptions.Identity identity = proxyFlags.identify(definition, true);
        Optional<String> service = definition.flatMap(d -> d.resource().as(ResourceTypes.DATAPLANE).spec()
                .services().stream().findFirst());
        if (identity.mesh().indexOf('.') >= 0) {
            throw new DpException("invalid mesh \"" + identity.mesh() + "\" (expected: a name without dots)");
        }
        DataplaneToken token = proxyFlags.token();
        return new GrpcAgentConfig(controlPlane, identity.mesh(), identity.name(), service, definition, token,
                GrpcBootstrap.CertificateFiles.in(certificatesDir), Optional.ofNullable(bootstrapFile),
                Backoff.DEFAULT);
    }

    private Optional<DataplaneDefinition> definition() {
        if (dataplaneFile == null || dataplaneFile.isEmpty()) {
            if (!proxyFlags.dataplaneVars.isEmpty()) {
                throw new DpException("-v is only used with --dataplane-file");
            }
            return Optional.empty();
        }
        String source = dataplaneFile.equals("-") ? "stdin" : dataplaneFile;
        return Optional.of(DataplaneDefinition.load(DataplaneDefinition.read(dataplaneFile, env.in()), source,
                proxyFlags.dataplaneVars, ProxyType.DATAPLANE, env.codec()));
    }
}
