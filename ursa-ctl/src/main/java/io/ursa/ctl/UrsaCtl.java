package io.ursa.ctl;

import io.ursa.api.resource.ResourceTypes;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** {@code ursactl}: a kumactl-compatible command-line client of the control plane's REST API. */
public final class UrsaCtl {
    /** A top-level command: its class, whose {@code @Command} names and describes it, and how it is built. */
    private record Subcommand(Class<?> type, Function<RootCommand, Object> factory) {
        Command annotation() {
            return type.getAnnotation(Command.class);
        }
    }

    private static final List<Subcommand> SUBCOMMANDS = List.of(
            new Subcommand(ApplyCommand.class, ApplyCommand::new),
            new Subcommand(ConfigCommand.class, ConfigCommand::create),
            new Subcommand(DeleteCommand.class, DeleteCommand::new),
            new Subcommand(GenerateCommand.class, GenerateCommand::create),
            new Subcommand(GetCommand.class, GetCommand::new),
            new Subcommand(InspectCommand.class, InspectCommand::create),
            new Subcommand(InstallCommand.class, InstallCommand::create),
            new Subcommand(VersionCommand.class, VersionCommand::new));

    private UrsaCtl() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        CtlEnvironment env = new CtlEnvironment(out, err, System.in, new SystemClock(),
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
        return commandLine(env, args).execute(args);
    }

    /**
     * The command line for {@code args}. When {@code args} name a top-level command, only that one is added, built
     * in full: nothing else is shown on that path. Otherwise (the usage list, a mistyped command) every command is
     * an outline, its name and description, enough for the list and for "did you mean". Reading every command's
     * options costs more start-up time than the command itself usually takes.
     */
    static CommandLine commandLine(CtlEnvironment env, String... args) {
        RootCommand root = new RootCommand(env);
        CommandLine commandLine = new CommandLine(root);
        Optional<Subcommand> chosen = subcommandName(commandLine.getCommandSpec(), args).flatMap(name ->
                SUBCOMMANDS.stream().filter(subcommand -> names(subcommand.annotation()).contains(name)).findFirst());
        if (chosen.isPresent()) {
            commandLine.addSubcommand(chosen.get().factory().apply(root));
        } else {
            for (Subcommand subcommand : SUBCOMMANDS) {
                Command annotation = subcommand.annotation();
                commandLine.addSubcommand(annotation.name(), outline(annotation), annotation.aliases());
            }
        }
        // Settings below apply to the subcommands added above, so they come last.
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setOut(env.out());
        commandLine.setErr(env.err());
        commandLine.setExecutionExceptionHandler(ErrorHandlers::onExecution);
        commandLine.setParameterExceptionHandler(ErrorHandlers::onParameter);
        return commandLine;
    }

    /** The first argument that is neither a global option nor a global option's value: the command's name. */
    static Optional<String> subcommandName(CommandSpec rootSpec, String... args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--")) {
                return i + 1 < args.length ? Optional.of(args[i + 1]) : Optional.empty();
            }
            if (!arg.startsWith("-") || arg.equals("-")) {
                return Optional.of(arg);
            }
            OptionSpec option = arg.contains("=") ? null : rootSpec.findOption(arg);
            if (option != null && option.arity().max() > 0) {
                i++;
            }
        }
        return Optional.empty();
    }

    private static List<String> names(Command annotation) {
        List<String> names = new java.util.ArrayList<>(List.of(annotation.aliases()));
        names.add(annotation.name());
        return names;
    }

    /** A command that is listed and described but not built; it is never run (see {@link #commandLine}). */
    private static CommandLine outline(Command annotation) {
        CommandSpec spec = CommandSpec.create().name(annotation.name());
        spec.usageMessage().description(annotation.description());
        spec.usageMessage().hidden(annotation.hidden());
        return new CommandLine(spec);
    }
}
