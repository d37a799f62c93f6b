package io.ursa.ctl;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns every failure into {@code Error: <message>} on stderr and exit code 1, like kumactl. Stack traces are
 * printed only for unexpected failures and only with {@code --log-level debug}.
 */
final class ErrorHandlers {
    static final int FAILURE = 1;
    /** A usage mistake (unknown flag or command, bad flag value): 2, as in ursa-cp and ursa-dp. */
    static final int USAGE = 2;

    private ErrorHandlers() {
    }

    static int onExecution(Exception ex, CommandLine commandLine, ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        if (ex instanceof UsageException) {
            err.println("Error: " + ex.getMessage());
            err.flush();
            return USAGE;
        }
        if (ex instanceof CtlException) {
            err.println("Error: " + ex.getMessage());
        } else {
            err.println("Error: " + (ex.getMessage() == null ? ex.getClass().getName()
                    : ex.getClass().getSimpleName() + ": " + ex.getMessage()));
            if (isDebug(commandLine)) {
                ex.printStackTrace(err);
            }
        }
        err.flush();
        return FAILURE;
    }

    static int onParameter(ParameterException ex, String[] args) {
        CommandLine commandLine = ex.getCommandLine();
        PrintWriter err = commandLine.getErr();
        if (isMissingSubcommand(ex)) {
            commandLine.usage(commandLine.getOut());
            commandLine.getOut().flush();
            return 0;
        }
        err.println("Error: " + ex.getMessage());
        UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("Run '" + commandLine.getCommandSpec().qualifiedName() + " --help' for usage.");
        err.flush();
        return USAGE;
    }

    /** A group command ({@code ursactl}, {@code config}, ...) run alone shows its help, as kumactl's do. */
    private static boolean isMissingSubcommand(ParameterException ex) {
        return !ex.getCommandLine().getSubcommands().isEmpty()
                && ex.getCommandLine().getParseResult() != null
                && !ex.getCommandLine().getParseResult().hasSubcommand()
                && String.valueOf(ex.getMessage()).startsWith("Missing required subcommand");
    }

    private static boolean isDebug(CommandLine commandLine) {
        Object root = commandLine.getCommandSpec().root().userObject();
        return root instanceof RootCommand r && r.logLevel == LogLevel.DEBUG;
    }
}
