package io.ursa.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --no-config} (kumactl 2.0's root flag): no configuration file is read or written, the control plane is the
 * default {@code http://localhost:5681}, and commands that would change the file are refused.
 */
class NoConfigTest {
    private static final String DEFAULTS = """
            contexts:
            - controlPlane: local
              name: local
            controlPlanes:
            - coordinates:
                apiServer:
                  url: http://localhost:5681
              name: local
            currentContext: local
            """;

    @TempDir
    Path home;

    @Test
    void leavesNoFileUnderHome() throws Exception {
        CtlRunner ctl = new CtlRunner(home);

        CtlRunner.Result view = ctl.runExactly("", "--no-config", "config", "view");
        CtlRunner.Result list = ctl.runExactly("", "config", "control-planes", "list", "--no-config");
        CtlRunner.Result key = ctl.runExactly("", "--no-config", "generate", "signing-key");

        assertThat(view.exitCode()).as(view.toString()).isZero();
        assertThat(view.out()).isEqualTo(DEFAULTS);
        assertThat(list.out()).contains("local").contains("http://localhost:5681");
        assertThat(key.exitCode()).isZero();
        try (Stream<Path> files = Files.walk(home)) {
            assertThat(files).containsExactly(home);
        }
    }

    @Test
    void neitherReadsNorUsesTheConfiguredControlPlane() throws Exception {
        CtlRunner ctl = new CtlRunner(home);
        try (ApiStub stub = ApiStub.plain()) {
            CtlRunner.Result added = ctl.runExactly("", "config", "control-planes", "add", "--name", "stub",
                    "--address", stub.address());
            assertThat(added.exitCode()).as(added.toString()).isZero();
            String before = Files.readString(ctl.configFile());
            int requests = stub.requests().size();

            CtlRunner.Result view = ctl.runExactly("", "--no-config", "config", "view");
            ctl.runExactly("", "--no-config", "--api-timeout", "2s", "get", "meshes");

            assertThat(view.out()).isEqualTo(DEFAULTS);
            assertThat(stub.requests()).as("the configured control plane is not asked").hasSize(requests);
            assertThat(Files.readString(ctl.configFile())).isEqualTo(before);
        }
    }

    @Test
    void refusesCommandsThatChangeTheConfigurationWithAUsageError() throws Exception {
        CtlRunner ctl = new CtlRunner(home);

        CtlRunner.Result add = ctl.runExactly("", "--no-config", "config", "control-planes", "add", "--name", "cp",
                "--address", "http://cp:5681");
        CtlRunner.Result switched = ctl.runExactly("", "--no-config", "config", "control-planes", "switch",
                "--name", "local");

        assertThat(add.exitCode()).isEqualTo(ErrorHandlers.USAGE);
        assertThat(add.err()).isEqualTo("Error: ursactl config control-planes add changes the configuration file,"
                + " which --no-config leaves alone (expected: the command without --no-config)\n");
        assertThat(switched.exitCode()).isEqualTo(ErrorHandlers.USAGE);
        try (Stream<Path> files = Files.walk(home)) {
            assertThat(files).containsExactly(home);
        }
    }

    @Test
    void saysAGivenConfigFileIsNotRead() {
        CtlRunner ctl = new CtlRunner(home);

        CtlRunner.Result result = ctl.run("--no-config", "config", "view");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo(DEFAULTS);
        assertThat(result.err()).isEqualTo("warning: --config-file " + ctl.configFile()
                + " is not read: --no-config uses no configuration file\n");
    }
}
