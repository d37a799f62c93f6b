package io.ursa.ctl;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code config control-planes add --name N --address URL [--overwrite] [--headers k=v]...}: checks that the
 * address answers {@code GET /}, stores it with a context of the same name and makes it current.
 */
@Command(name = "add", description = "Add a Control Plane and make it the active one.")
final class AddControlPlaneCommand implements Callable<Integer> {
    @Option(names = "--name", required = true, paramLabel = "NAME",
            description = "reference name for the Control Plane")
    String name;

    @Option(names = "--address", required = true, paramLabel = "URL",
            description = "URL of the Control Plane API Server, e.g. http://localhost:5681")
    String address;

    @Option(names = "--overwrite", description = "replace an existing Control Plane with the same name")
    boolean overwrite;

    @Option(names = "--headers", paramLabel = "KEY=VALUE", split = ",",
            description = "headers to send with every request to the Control Plane")
    Map<String, String> headers = new LinkedHashMap<>();

    private final RootCommand root;

    AddControlPlaneCommand(RootCommand root) {
        this.root = requireNonNull(root, "root");
    }

    @Override
    public Integer call() {
        URI uri = RootCommand.parseAddress(address);
        CtlConfig.ControlPlane cp = CtlConfig.ControlPlane.of(name, address, headers);
        CtlConfig.Overwrite mode = overwrite ? CtlConfig.Overwrite.REPLACE : CtlConfig.Overwrite.REFUSE;
        root.configFile().update(config -> {
            Optional<CtlConfig> updated = config.withControlPlane(cp, mode);
            updated.ifPresent(u -> verify(uri, cp));
            return updated;
        }, () -> new CtlException("Control Plane with name " + Texts.quote(name)
                + " already exists. Use --overwrite to replace an existing one."));
        root.env().out().println("added Control Plane " + Texts.quote(name));
        root.env().out().println("switched active Control Plane to " + Texts.quote(name));
        root.env().out().flush();
        return 0;
    }

    /** The address must answer {@code GET /} with the API server's index JSON. */
    private void verify(URI uri, CtlConfig.ControlPlane cp) {
        ApiResponse response = root.client(uri, cp).get("/");
        if (!response.isSuccess()) {
            throw new CtlException("Control Plane API Server at " + address + " is not responding: GET / answered "
                    + response.status());
        }
        if (!response.json().isObject()) {
            throw new CtlException("the address " + address + " is not a valid Control Plane API Server: "
                    + "GET / did not answer with the index JSON object");
        }
    }
}
