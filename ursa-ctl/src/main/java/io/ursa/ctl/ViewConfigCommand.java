package io.ursa.ctl;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code config view}: the configuration as YAML (the defaults when there is no file yet). Tokens and
 * {@code Authorization} headers read {@code REDACTED} unless {@code --raw} is given, as in {@code kubectl config
 * view} (kumactl prints them), so the output can be pasted into a bug report.
 */
@Command(name = "view", description = "Show the ursactl configuration.")
final class ViewConfigCommand implements Callable<Integer> {
    @Option(names = "--raw", description = "show tokens and Authorization headers as stored (default: REDACTED)")
    boolean raw;

    private final RootCommand root;

    ViewConfigCommand(RootCommand root) {
        this.root = requireNonNull(root, "root");
    }

    @Override
    public Integer call() {
        CtlConfig config = root.config();
        root.env().out().print(ConfigFile.toYaml(raw ? config : config.redacted()));
        root.env().out().flush();
        return 0;
    }
}
