package io.ursa.cp;

import io.ursa.core.config.ConfigException;
import io.ursa.core.store.StoreException;
import io.ursa.cp.config.CpConfig;
import io.ursa.cp.config.CpConfigLoader;
import io.ursa.store.jdbc.PostgresResourceStore;
import io.ursa.store.jdbc.PostgresSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
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
        subcommands = {UrsaCp.Run.class, UrsaCp.Migrate.class, UrsaCp.VersionCommand.class})
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
            help.commandSpec().usageMessage().footer(CpConfigLoader.environmentHelp());
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

    @Command(name = "migrate", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "Migrate the schema of the PostgreSQL store (kuma-cp migrate).",
            subcommands = {UrsaCp.MigrateUp.class})
    static final class Migrate implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getErr().println("Error: missing command (expected: migrate up)");
            spec.commandLine().usage(spec.commandLine().getErr());
            return 2;
        }
    }

    @Command(name = "up", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = {"Apply the pending schema migrations to the PostgreSQL database of store.postgres, then"
                    + " exit (kuma-cp migrate up). Reads the same configuration as run: --config-file, URSA_* (and"
                    + " KUMA_*) variables. Run it before starting control planes of a new Ursa version; they refuse"
                    + " a database whose schema is behind. Safe to run from several hosts at once.",
                    "Exit 0 when the schema is current (applied or already), 1 when the database cannot be reached"
                            + " or does not match this Ursa, or store.type is not postgres."})
    static final class MigrateUp implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = {"-c", "--config-file", "--config"}, paramLabel = "FILE",
                description = "Configuration file (YAML, same keys as defaults.yaml); URSA_* variables win over it.")
        Path config;

        @Override
        public Integer call() {
            return migrateUp(config, System.getenv(), spec.commandLine().getOut(), spec.commandLine().getErr());
        }

        /** The command with the environment given: prints what it applied to {@code out}, failures to {@code err}. */
        static int migrateUp(Path config, java.util.Map<String, String> env, PrintWriter out, PrintWriter err) {
            try {
                CpConfig.Store store = CpConfigLoader.load(config, env).config().store();
                if (store.type() != CpConfig.StoreType.postgres) {
                    err.println("Error: store.type is " + store.type() + ": migrate up is for the PostgreSQL store"
                            + " (store.type: postgres, URSA_STORE_TYPE=postgres); the embedded store migrates its"
                            + " schema itself when it opens");
                    return 1;
                }
                PostgresSettings settings = StoreWiring.postgres(store.postgres());
                List<String> applied = PostgresResourceStore.migrateUp(settings, Clock.systemUTC());
                int version = PostgresResourceStore.schemaVersion();
                out.println(applied.isEmpty()
                        ? "The schema of " + settings.describe() + " is current (version " + version + ")."
                        : "Applied to " + settings.describe() + ": " + String.join(", ", applied)
                                + ". The schema is current (version " + version + ").");
                return 0;
            } catch (ConfigException | StoreException e) {
                err.println("Error: " + e.getMessage());
                return 1;
            } finally {
                out.flush();
                err.flush();
            }
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
