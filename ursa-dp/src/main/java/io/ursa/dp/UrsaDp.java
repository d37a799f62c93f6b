package io.ursa.dp;

import picocli.CommandLine;

/**
 * {@code ursa-dp}, the data plane agent (kuma-dp compatible): {@code run} fetches the Envoy bootstrap from the
 * control plane's DP server and supervises Envoy; {@code grpc-agent} keeps a proxyless gRPC application's
 * certificates fresh; {@code version} prints the build.
 */
public final class UrsaDp {
    static final int ERROR = 1;
    static final int USAGE = 2;

    private UrsaDp() {
    }

    public static void main(String[] args) {
        int code = commandLine(DpEnvironment.system()).execute(args);
        System.exit(code);
    }

    /** The command tree bound to {@code env}; errors become one {@code Error: ...} on stderr. */
    static CommandLine commandLine(DpEnvironment env) {
        CommandLine root = new CommandLine(new RootCommand(env));
        root.addSubcommand(new VersionCommand(env));
        root.addSubcommand(new RunCommand(env));
        root.addSubcommand(new GrpcAgentCommand(env));
        root.getSubcommands().get("run").getCommandSpec().usageMessage().footer(RunCommand.environmentHelp());
        // these settings reach the subcommands added so far, so they come after them
        root.setOut(env.out());
        root.setErr(env.err());
        root.setCaseInsensitiveEnumValuesAllowed(true);
        root.setDefaultValueProvider(new EnvDefaults(RunCommand.ENVIRONMENT, env::variable));
        root.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof DpException) {
                env.err().println("Error: " + e.getMessage());
            } else {
                env.err().println("Error: unexpected failure: " + e);
                e.printStackTrace(env.err());
            }
            env.err().flush();
            return ERROR;
        });
        root.setParameterExceptionHandler((e, args) -> {
            env.err().println("Error: " + e.getMessage());
            env.err().println("Run '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
            env.err().flush();
            return USAGE;
        });
        return root;
    }
}
