package io.ursa.ctl;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code config control-planes list}: {@code ACTIVE  NAME  ADDRESS}, as kumactl prints it. */
@Command(name = "list", description = "List Control Planes.")
final class ListControlPlanesCommand implements Callable<Integer> {
    private final RootCommand root;

    ListControlPlanesCommand(RootCommand root) {
        this.root = requireNonNull(root, "root");
    }

    @Override
    public Integer call() {
        CtlConfig config = root.config();
        Optional<CtlConfig.Context> current = config.context(config.currentContext());
        Table table = new Table(List.of("ACTIVE", "NAME", "ADDRESS"));
        for (CtlConfig.ControlPlane cp : config.controlPlanes()) {
            boolean active = current.map(c -> c.controlPlane().equals(cp.name())).orElse(false);
            table.row(List.of(active ? "*" : "", cp.name(), cp.url()));
        }
        root.env().out().print(table.render());
        root.env().out().flush();
        return 0;
    }
}
