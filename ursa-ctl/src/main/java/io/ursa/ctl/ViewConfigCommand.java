package io.ursa.ctl;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code config view}: the configuration as YAML (the defaults when there is no file yet). */
@Command(name = "view", description = "Show the ursactl configuration.")
final class ViewConfigCommand implements Callable<Integer> {
    private final RootCommand root;

    ViewConfigCommand(RootCommand root) {
        this.root = requireNonNull(root, "root");
    }

    @Override
    public Integer call() {
        root.env().out().print(ConfigFile.toYaml(root.configFile().load()));
        root.env().out().flush();
        return 0;
    }
}
