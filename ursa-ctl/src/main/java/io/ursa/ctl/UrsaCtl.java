package io.ursa.ctl;

import io.ursa.api.resource.ResourceTypes;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import picocli.CommandLine;

/** {@code ursactl}: a kumactl-compatible command-line client of the control plane's REST API. */
public final class UrsaCtl {
    private UrsaCtl() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        CtlEnvironment env = new CtlEnvironment(out, err, System.in, Clock.systemDefaultZone(),
                homeDirectory(System.getenv(), System.getProperty("user.home")), ResourceTypes.standard());
        int code = run(env, args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /**
     * The home directory the default configuration file lives in: {@code $HOME} when it is set, as kumactl and
     * every shell tool read it, else the JVM's {@code user.home} (which comes from the password database and
     * ignores {@code $HOME}).
     */
    static Path homeDirectory(Map<String, String> environment, String userHome) {
        String home = environment.get("HOME");
        return Path.of(home == null || home.isBlank() ? userHome : home);
    }

    /** Runs one command line; returns the exit code (0 on success, 1 on any error). */
    static int run(CtlEnvironment env, String... args) {
        return commandLine(env).execute(args);
    }

    static CommandLine commandLine(CtlEnvironment env) {
        RootCommand root = new RootCommand(env);
        CommandLine commandLine = new CommandLine(root)
                .addSubcommand(new ApplyCommand(root))
                .addSubcommand(ConfigCommand.create(root))
                .addSubcommand(new DeleteCommand(root))
                .addSubcommand(GenerateCommand.create(root))
                .addSubcommand(new GetCommand(root))
                .addSubcommand(InspectCommand.create(root))
                .addSubcommand(InstallCommand.create(root))
                .addSubcommand(new VersionCommand(root));
        // Settings below apply to the subcommands added above, so they come last.
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setOut(env.out());
        commandLine.setErr(env.err());
        commandLine.setExecutionExceptionHandler(ErrorHandlers::onExecution);
        commandLine.setParameterExceptionHandler(ErrorHandlers::onParameter);
        return commandLine;
    }
}
