package io.ursa.ctl;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code config control-planes switch --name N}: makes the context {@code N} current. */
@Command(name = "switch", description = "Switch the active Control Plane.")
final class SwitchControlPlaneCommand implements Callable<Integer> {
    @Option(names = "--name", required = true, paramLabel = "NAME", description = "reference name of the Control Plane")
    String name;

    private final RootCommand root;

    SwitchControlPlaneCommand(RootCommand root) {
        this.root = requireNonNull(root, "root");
    }

    @Override
    public Integer call() {
        root.configFile("config control-planes switch").update(config -> config.switchedTo(name),
                () -> ConfigFile.noSuchControlPlane(name));
        root.env().out().println("switched active Control Plane to " + Texts.quote(name));
        root.env().out().flush();
        return 0;
    }
}
