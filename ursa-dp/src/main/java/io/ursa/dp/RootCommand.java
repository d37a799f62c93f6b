package io.ursa.dp;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.Callable;
import java.util.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code ursa-dp} and its global options, which subcommands inherit (given before or after the subcommand). */
@Command(name = "ursa-dp", synopsisSubcommandLabel = "COMMAND",
        description = "Data plane agent for Ursa, a Kuma-compatible service mesh: runs and supervises Envoy, or keeps"
                + " the certificates of a proxyless gRPC application fresh.")
final class RootCommand implements Callable<Integer> {
    @Option(names = "--log-level", paramLabel = "LEVEL", scope = ScopeType.INHERIT, defaultValue = "info",
            description = "log level: off, info or debug (default: ${DEFAULT-VALUE})")
    LogLevel logLevel;

    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "show this help")
    boolean help;

    @Spec
    CommandSpec spec;

    private final DpEnvironment env;

    RootCommand(DpEnvironment env) {
        this.env = requireNonNull(env, "env");
    }

    /** Without a subcommand: the usage, and a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(env.err());
        env.err().flush();
        return UrsaDp.USAGE;
    }

    LogLevel logLevel() {
        return logLevel;
    }

    /** A logger on stderr at {@code --log-level}. */
    Logger log() {
        return ConsoleLog.create(env.err(), logLevel);
    }
}
