package io.ursa.dp;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import picocli.CommandLine.Option;

/**
 * The flags that say where the control plane is, how to trust it, which Dataplane a proxy is, and how it proves it;
 * shared by {@code ursa-dp run} and {@code ursa-dp grpc-agent} (a picocli mixin), together with the rules that turn
 * them into the control plane's address and the proxy's mesh, name and token.
 */
final class ProxyIdentityOptions {
    /** The control plane's CA as PEM text; wins over {@code --ca-cert-file} (kuma-dp's order). */
    static final String CA_CERT = "URSA_CONTROL_PLANE_CA_CERT";

    @Option(names = "--name", paramLabel = "NAME", defaultValue = "",
            description = "name of the Dataplane (must be empty with a dataplane definition)")
    String name;

    @Option(names = "--mesh", paramLabel = "MESH", defaultValue = "",
            description = "mesh the Dataplane belongs to (must be empty with a dataplane definition)")
    String mesh;

    @Option(names = "--cp-address", paramLabel = "URL", defaultValue = ControlPlaneAddress.DEFAULT,
            description = "URL of the control plane's DP server, not its API: https://host:port, or http://host:port"
                    + " for a control plane that runs with dpServer.plaintext (default: ${DEFAULT-VALUE}). For a"
                    + " highly available control plane, give every instance: repeat the flag or separate the URLs"
                    + " with commas (one scheme and one --ca-cert-file for all); the proxy starts with a random one"
                    + " and moves on to the next when an instance does not answer")
    List<String> cpAddress;

    @Option(names = "--ca-cert-file", paramLabel = "FILE",
            description = "CA certificate (PEM) that the control plane's certificate must be signed by (it is served"
                    + " at GET /control-plane/ca.pem on the control plane's API); without it, the JVM's default trust"
                    + " store")
    Path caCertFile;

    @Option(names = "--dataplane-token-file", paramLabel = "FILE",
            description = "file with the dataplane token (ursactl generate dataplane-token), or for --proxy-type"
                    + " egress the zone token (ursactl generate zone-token --scope egress)")
    Path dataplaneTokenFile;

    @Option(names = "--dataplane-token", paramLabel = "TOKEN",
            description = "the dataplane token itself (wins over --dataplane-token-file)")
    String dataplaneToken;

    @Option(names = {"-v", "--dataplane-var"}, paramLabel = "KEY=VALUE", split = ",",
            description = "variable for the Dataplane template (Mustache, {{ key }}); repeatable")
    Map<String, String> dataplaneVars = new LinkedHashMap<>();

    /** A proxy's mesh and name. */
    record Identity(String mesh, String name) {
    }

    /**
     * The proxy's mesh and name: those of its Dataplane definition when it has one (then --mesh and --name must be
     * empty), else --mesh and --name.
     *
     * @param meshRequired whether a proxy without a definition needs --mesh (a zone ingress does not)
     */
    Identity identify(Optional<DataplaneDefinition> definition, boolean meshRequired) {
        if (definition.isPresent()) {
            if (!name.isEmpty() || !mesh.isEmpty()) {
                throw new DpException("--name and --mesh cannot be specified when a dataplane definition is "
                        + "provided, mesh and name will be read from the dataplane definition");
            }
            return new Identity(definition.get().mesh(), definition.get().name());
        }
        if (name.isEmpty()) {
            throw new DpException("--name is required (or " + RunCommand.ENVIRONMENT.get("--name")
                    + ", or a dataplane definition with --dataplane-file)");
        }
        if (mesh.isEmpty() && meshRequired) {
            throw new DpException("--mesh is required (or " + RunCommand.ENVIRONMENT.get("--mesh")
                    + ", or a dataplane definition with --dataplane-file)");
        }
        return new Identity(mesh, name);
    }

    /**
     * The DP servers' addresses from --cp-address (one or several, see {@link ControlPlanes#parse}) and, for https,
     * their trust: the CA from {@value #CA_CERT} or --ca-cert-file (read and checked now, not at the first
     * connection), else the JVM's default trust store. A CA given with http addresses is not used, and said so.
     */
    ControlPlanes controlPlanes(DpEnvironment env, Logger log) {
        List<URI> urls = ControlPlanes.parse(cpAddress, "--cp-address");
        Optional<ControlPlaneTrust> ca = ca(env);
        List<ControlPlaneAddress> addresses = new ArrayList<>();
        if (!"https".equalsIgnoreCase(urls.get(0).getScheme())) {
            ca.ifPresent(trust -> log.warning(trust.source() + " is not used: the control plane at "
                    + urls.get(0) + " is plaintext (http)"));
            urls.forEach(url -> addresses.add(new ControlPlaneAddress(url, Optional.empty())));
        } else {
            ControlPlaneTrust trust = ca.orElseGet(ControlPlaneTrust::defaultTrustStore);
            urls.forEach(url -> addresses.add(new ControlPlaneAddress(url, Optional.of(trust))));
        }
        return new ControlPlanes(addresses);
    }

    private Optional<ControlPlaneTrust> ca(DpEnvironment env) {
        Optional<String> fromEnv = env.variable(CA_CERT);
        if (fromEnv.isPresent()) {
            return Optional.of(ControlPlaneTrust.ca(fromEnv.get(), CA_CERT));
        }
        if (caCertFile == null) {
            return Optional.empty();
        }
        String pem;
        try {
            pem = Files.readString(caCertFile, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new DpException("could not read the CA certificate file " + caCertFile + ": "
                    + (Files.exists(caCertFile) ? e.getMessage() : "it does not exist"));
        }
        return Optional.of(ControlPlaneTrust.ca(pem, "--ca-cert-file " + caCertFile));
    }

    /** The token from --dataplane-token or --dataplane-token-file (none when neither is given). */
    DataplaneToken token() {
        return DataplaneToken.resolve(Optional.ofNullable(dataplaneToken).filter(t -> !t.isEmpty()),
                Optional.ofNullable(dataplaneTokenFile));
    }
}
