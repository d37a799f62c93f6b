package io.ursa.cp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code ursa-cp}'s command line, with kuma-cp's habits: {@code version}, {@code --config-file}, exit 2 on usage. */
class UrsaCpCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int execute(String... args) {
        CommandLine commandLine = UrsaCp.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void versionPrintsTheVersionAndDetailedTheBuild() {
        assertThat(execute("version")).isZero();
        assertThat(out.toString()).isEqualTo(Version.current() + "\n");

        assertThat(execute("version", "--detailed")).isZero();
        assertThat(out.toString()).contains("Product:  Ursa").contains("Version:  " + Version.current());
    }

    @Test
    void runHelpListsEveryUrsaVariableWithItsDefault() {
        assertThat(execute("run", "--help")).isZero();
        assertThat(out.toString()).contains("--config-file=FILE").contains("--log-level=LEVEL")
                .contains("URSA_STORE_TYPE=embedded").contains("URSA_API_SERVER_HTTP_PORT=5681")
                .contains("URSA_DP_SERVER_PORT=5678");
    }

    @Test
    void aUsageMistakeExitsTwoWithOneErrorLineAndTheHelpHint() {
        assertThat(execute("run", "--no-such-flag")).isEqualTo(2);
        assertThat(err.toString()).startsWith("Error: Unknown option: '--no-such-flag'")
                .contains("Run 'ursa-cp run --help' for usage.");
        assertThat(execute("nonsense")).isEqualTo(2);
    }

    @Test
    void runTakesKumaCpsConfigFileFlagAndALogLevel() {
        UrsaCp.Run command = parseRun("--config-file", "/etc/ursa/cp.yaml", "--log-level", "debug");
        assertThat(command.config).isEqualTo(Path.of("/etc/ursa/cp.yaml"));
        assertThat(UrsaCp.Run.environment(Map.of("URSA_LOGGING_LEVEL", "info"), command.logLevel))
                .containsEntry("URSA_LOGGING_LEVEL", "debug");
        assertThat(UrsaCp.Run.environment(Map.of("A", "b"), null)).isEqualTo(Map.of("A", "b"));

        assertThat(parseRun("--config", "old.yaml").config).as("the earlier spelling still works")
                .isEqualTo(Path.of("old.yaml"));
    }

    private static UrsaCp.Run parseRun(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "run";
        System.arraycopy(args, 0, all, 1, args.length);
        return (UrsaCp.Run) UrsaCp.commandLine().parseArgs(all).subcommand().commandSpec().userObject();
    }
}
