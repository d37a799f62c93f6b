package io.ursa.cp;

import io.ursa.core.config.ConfigException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.Option;

/** {@code ursa-cp}: the control plane's command line. */
@Command(name = "ursa-cp", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Ursa service-mesh control plane.",
        subcommands = {UrsaCp.Run.class, UrsaCp.VersionCommand.class})
public final class UrsaCp {
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command tree; usage errors exit 2, as kuma-cp's and ursactl's. */
    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new UrsaCp());
        // run --help lists the URSA_* variables; they come from defaults.yaml, read only when that help is shown
        CommandLine run = commandLine.getSubcommands().get("run");
        CommandLine.IHelpSectionRenderer footer = run.getHelpSectionMap().get(UsageMessageSpec.SECTION_KEY_FOOTER);
        run.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_FOOTER, help -> {
            help.commandSpec().usageMessage().footer(io.ursa.cp.config.CpConfigLoader.environmentHelp());
            return footer.render(help);
        });
        commandLine.setParameterExceptionHandler((e, args) -> {
            e.getCommandLine().getErr().println("Error: " + e.getMessage());
            e.getCommandLine().getErr().println("Run '" + e.getCommandLine().getCommandSpec().qualifiedName()
                    + " --help' for usage.");
            return 2;
        });
        return commandLine;
    }

    @Command(name = "version", description = "Print the version of the control plane (kuma-cp version).")
    static final class VersionCommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = {"-a", "--detailed"}, description = "Print the build details too.")
        boolean detailed;

        @Override
        public Integer call() {
            spec.commandLine().getOut().println(detailed ? "Product:  Ursa\nVersion:  " + Version.current()
                    + "\nJava:     " + Runtime.version() : Version.current());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "Run the control plane until SIGTERM or SIGINT.")
    static final class Run implements Callable<Integer> {
        @Option(names = {"-c", "--config-file", "--config"}, paramLabel = "FILE",
                description = "Configuration file (YAML, same keys as defaults.yaml); URSA_* variables win over it.")
        Path config;

        @Option(names = "--log-level", paramLabel = "LEVEL",
                description = "Log level: trace, debug, info, warn, error or off (wins over URSA_LOGGING_LEVEL and"
                        + " the configuration file).")
        String logLevel;

        @Override
        public Integer call() throws Exception {
            ControlPlane cp;
            try {
                cp = ControlPlane.start(config, environment(System.getenv(), logLevel));
            } catch (ConfigException | ControlPlane.StartupException e) {
                // one line: the log and the error share stderr
                System.err.println("Error: " + e.getMessage());
                return 1;
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                // the logger is looked up here, not in a static field: `version` and `--help` start no logging
                LoggerFactory.getLogger(UrsaCp.class).info("stopping");
                cp.close();
                stopped.countDown();
            }, "ursa-shutdown"));
            stopped.await();
            return 0;
        }

        /** The process environment with {@code --log-level}, when given, as {@code URSA_LOGGING_LEVEL}. */
        static java.util.Map<String, String> environment(java.util.Map<String, String> env, String logLevel) {
            if (logLevel == null) {
                return env;
            }
            java.util.Map<String, String> withLevel = new java.util.HashMap<>(env);
            withLevel.put("URSA_LOGGING_LEVEL", logLevel);
            return withLevel;
        }
    }
}
