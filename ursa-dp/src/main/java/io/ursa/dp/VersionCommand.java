package io.ursa.dp;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ursa-dp version}: {@code Ursa: <version>}, or kuma-dp's detailed block with {@code -a}. */
@Command(name = "version", description = "Print version")
final class VersionCommand implements Callable<Integer> {
    @Option(names = {"-a", "--detailed"}, description = "print detailed version")
    boolean detailed;

    private final DpEnvironment env;

    VersionCommand(DpEnvironment env) {
        this.env = requireNonNull(env, "env");
    }

    @Override
    public Integer call() {
        BuildInfo build = env.build();
        env.out().println(detailed ? build.detailed() : build.product() + ": " + build.version());
        env.out().flush();
        return 0;
    }
}
