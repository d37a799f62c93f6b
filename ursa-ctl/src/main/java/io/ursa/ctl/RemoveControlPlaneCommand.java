package io.ursa.ctl;

import static java.util.Objects.requireNonNull;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code config control-planes remove --name N}, with kumactl's messages. */
@Command(name = "remove", description = "Remove a Control Plane.")
final class RemoveControlPlaneCommand implements Callable<Integer> {
    @Option(names = "--name", required = true, paramLabel = "NAME", description = "reference name of the Control Plane")
    String name;

    private final RootCommand root;

    RemoveControlPlaneCommand(RootCommand root) {
        this.root = requireNonNull(root, "root");
    }

    @Override
    public Integer call() {
        CtlConfig updated = root.configFile("config control-planes remove").update(
                config -> config.withoutControlPlane(name), () -> ConfigFile.noSuchControlPlane(name));
        PrintWriter out = root.env().out();
        out.println("removed Control Plane " + Texts.quote(name));
        updated.context(updated.currentContext()).ifPresentOrElse(
                c -> out.println("switched active Control Plane to " + Texts.quote(c.controlPlane())),
                () -> out.println("there is no active Control Plane left. Use `ursactl config control-planes add`"
                        + " to add a Control Plane and make it active"));
        out.flush();
        return 0;
    }
}
