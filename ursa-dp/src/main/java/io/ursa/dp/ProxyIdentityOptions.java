package io.ursa.dp;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The flags that say where the control plane is, which Dataplane a proxy is, and how it proves it; shared by
 * {@code ursa-dp run} and {@code ursa-dp grpc-agent} (a picocli mixin), together with the rules that turn them
 * into the proxy's mesh, name and token.
 */
final class ProxyIdentityOptions {
    @Option(names = "--name", paramLabel = "NAME", defaultValue = "",
            description = "name of the Dataplane (must be empty with a dataplane definition)")
    String name;

    @Option(names = "--mesh", paramLabel = "MESH", defaultValue = "",
            description = "mesh the Dataplane belongs to (must be empty with a dataplane definition)")
    String mesh;

    @Option(names = "--cp-address", paramLabel = "URL", defaultValue = "http://localhost:5678",
            description = "URL of the control plane's DP server, not its API (default: ${DEFAULT-VALUE})")
    String cpAddress;

    @Option(names = "--dataplane-token-file", paramLabel = "FILE",
            description = "file with the dataplane token (ursactl generate dataplane-token)")
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

    /** The token from --dataplane-token or --dataplane-token-file (none when neither is given). */
    DataplaneToken token() {
        return DataplaneToken.resolve(Optional.ofNullable(dataplaneToken).filter(t -> !t.isEmpty()),
                Optional.ofNullable(dataplaneTokenFile));
    }
}
