package io.ursa.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** config control-planes add|list|remove|switch and config view, on a config file in a temporary home. */
class ConfigCommandsTest {
    @TempDir
    Path home;

    private IndexStub first;
    private IndexStub second;
    private CtlRunner ctl;

    @BeforeEach
    void startStubs() {
        first = new IndexStub();
        second = new IndexStub();
        ctl = new CtlRunner(home);
    }

    @AfterEach
    void stopStubs() {
        first.close();
        second.close();
    }

    @Test
    void theHomeDirectoryIsHomeWhenSetElseTheJvms() {
        assertThat(UrsaCtl.homeDirectory(java.util.Map.of("HOME", "/tmp/elsewhere"), "/root"))
                .isEqualTo(java.nio.file.Path.of("/tmp/elsewhere"));
        assertThat(UrsaCtl.homeDirectory(java.util.Map.of(), "/root")).isEqualTo(java.nio.file.Path.of("/root"));
        assertThat(UrsaCtl.homeDirectory(java.util.Map.of("HOME", ""), "/root")).isEqualTo(java.nio.file.Path.of("/root"));
    }

    @Test
    void viewShowsTheLocalDefaultWithoutAConfigFile() {
        CtlRunner.Result result = ctl.run("config", "view");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("""
                contexts:
                - controlPlane: local
                  name: local
                controlPlanes:
                - coordinates:
                    apiServer:
                      url: http://localhost:5681
                  name: local
                currentContext: local
                """);
        assertThat(ctl.configFile()).doesNotExist();
    }

    @Test
    void addStoresTheControlPlaneMakesItActiveAndKeepsTheFilePrivate() throws Exception {
        CtlRunner.Result result = ctl.run("config", "control-planes", "add", "--name", "first", "--address",
                first.address(), "--headers", "x-team=mesh", "--headers", "authorization=Bearer t");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo("added Control Plane \"first\"\nswitched active Control Plane to \"first\"\n");
        assertThat(Files.readString(ctl.configFile())).isEqualTo("""
                contexts:
                - controlPlane: local
                  name: local
                - controlPlane: first
                  name: first
                controlPlanes:
                - coordinates:
                    apiServer:
                      url: http://localhost:5681
                  name: local
                - coordinates:
                    apiServer:
                      headers:
                      - key: authorization
                        value: Bearer t
                      - key: x-team
                        value: mesh
                      url: %s
                  name: first
                currentContext: first
                """.formatted(first.address()));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ctl.configFile())))
                .isEqualTo("rw-------");
        assertThat(first.requests()).containsExactly("GET /");
        assertThat(home.resolve(".ursactl")).isDirectoryNotContaining("glob:**.tmp");
    }

    @Test
    void warnsAboutAConfigFileOtherUsersCanReadAndMakesItPrivateOnTheNextWrite() throws Exception {
        add("first", first);
        Files.setPosixFilePermissions(ctl.configFile(), PosixFilePermissions.fromString("rw-r--r--"));
        Path file = ctl.configFile().toAbsolutePath();

        CtlRunner.Result list = ctl.run("config", "control-planes", "list");
        CtlRunner.Result added = ctl.run("config", "control-planes", "add", "--name", "second", "--address",
                second.address());
        CtlRunner.Result after = ctl.run("config", "control-planes", "list");

        assertThat(list.exitCode()).isZero();
        assertThat(list.err()).isEqualTo("warning: the configuration file " + file + " is open to other users"
                + " (mode rw-r--r--) and may hold user tokens; make it private with: chmod 600 " + file + "\n");
        assertThat(added.exitCode()).as(added.toString()).isZero();
        assertThat(added.err()).isEqualTo("warning: the configuration file " + file + " was open to other users"
                + " (mode rw-r--r--); it is now written with mode rw-------\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(after.err()).isEmpty();
    }

    @Test
    void keepsEveryFieldOfAKumactlFileWhenRewritingItAndViewHidesTokens() throws Exception {
        String kumactl = """
                contexts:
                - controlPlane: local
                  name: local
                - controlPlane: prod
                  name: prod
                controlPlanes:
                - coordinates:
                    apiServer:
                      url: http://localhost:5681
                  name: local
                - coordinates:
                    apiServer:
                      authConf:
                        token: secret.jwt.value
                      authType: tokens
                      caCertFile: /etc/ursa/ca.pem
                      clientCertFile: /etc/ursa/client.pem
                      clientKeyFile: /etc/ursa/client.key
                      headers:
                      - key: Authorization
                        value: Bearer other.secret
                      skipVerify: true
                      url: https://cp.example:5682
                  name: prod
                currentContext: prod
                """;
        Files.createDirectories(ctl.configFile().getParent());
        Files.writeString(ctl.configFile(), kumactl);
        Files.setPosixFilePermissions(ctl.configFile(), PosixFilePermissions.fromString("rw-------"));

        CtlRunner.Result switched = ctl.run("config", "control-planes", "switch", "--name", "local");
        CtlRunner.Result view = ctl.run("config", "view");
        CtlRunner.Result raw = ctl.run("config", "view", "--raw");

        assertThat(switched.exitCode()).as(switched.toString()).isZero();
        assertThat(Files.readString(ctl.configFile()))
                .isEqualTo(kumactl.replace("currentContext: prod", "currentContext: local"));
        assertThat(view.out()).contains("        token: REDACTED\n").contains("        value: REDACTED\n")
                .doesNotContain("secret");
        assertThat(raw.out()).isEqualTo(Files.readString(ctl.configFile()));
    }

    @Test
    void addRefusesAnExistingNameUnlessOverwriting() throws Exception {
        add("cp", first);
        String before = Files.readString(ctl.configFile());

        CtlRunner.Result refused = ctl.run("config", "control-planes", "add", "--name", "cp", "--address",
                second.address());

        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).isEqualTo("Error: Control Plane with name \"cp\" already exists. "
                + "Use --overwrite to replace an existing one.\n");
        assertThat(Files.readString(ctl.configFile())).isEqualTo(before);

        CtlRunner.Result replaced = ctl.run("config", "control-planes", "add", "--name", "cp", "--address",
                second.address(), "--overwrite");

        assertThat(replaced.exitCode()).as(replaced.toString()).isZero();
        CtlRunner.Result list = ctl.run("config", "control-planes", "list");
        assertThat(list.out()).isEqualTo("""
                ACTIVE   NAME    ADDRESS
                         local   http://localhost:5681
                *        cp      %s
                """.formatted(second.address()));
    }

    @Test
    void switchChangesTheActiveControlPlaneUsedByCommands() {
        add("first", first);
        add("second", second);

        CtlRunner.Result switched = ctl.run("config", "control-planes", "switch", "--name", "first");
        CtlRunner.Result version = ctl.run("version");

        assertThat(switched.exitCode()).isZero();
        assertThat(switched.out()).isEqualTo("switched active Control Plane to \"first\"\n");
        assertThat(version.out()).endsWith("Server: Kuma 2.0.8\n");
        assertThat(first.requests()).containsExactly("GET /", "GET /");
        assertThat(second.requests()).containsExactly("GET /");
    }

    @Test
    void switchAndRemoveRefuseUnknownNames() {
        CtlRunner.Result switched = ctl.run("config", "control-planes", "switch", "--name", "nope");
        CtlRunner.Result removed = ctl.run("config", "control-planes", "remove", "--name", "nope");

        assertThat(switched.exitCode()).isEqualTo(1);
        assertThat(switched.err()).isEqualTo("Error: there is no Control Plane with name \"nope\"\n");
        assertThat(removed.exitCode()).isEqualTo(1);
        assertThat(removed.err()).isEqualTo("Error: there is no Control Plane with name \"nope\"\n");
    }

    @Test
    void removingTheActiveControlPlaneActivatesTheFirstRemainingOne() {
        add("first", first);

        CtlRunner.Result removed = ctl.run("config", "control-planes", "remove", "--name", "first");
        CtlRunner.Result removedLast = ctl.run("config", "control-planes", "remove", "--name", "local");

        assertThat(removed.out()).isEqualTo("removed Control Plane \"first\"\nswitched active Control Plane to \"local\"\n");
        assertThat(removedLast.out()).startsWith("removed Control Plane \"local\"\nthere is no active Control Plane left.");
        CtlRunner.Result get = ctl.run("get", "meshes");
        assertThat(get.exitCode()).isEqualTo(1);
        assertThat(get.err()).startsWith("Error: there is no active Control Plane.");
    }

    @Test
    void addFailsClearlyWhenTheAddressDoesNotAnswer() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        CtlRunner.Result result = ctl.run("config", "control-planes", "add", "--name", "x", "--address",
                "http://127.0.0.1:" + closedPort);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("Error: could not reach the control plane at http://127.0.0.1:"
                + closedPort + ": connection refused\n").doesNotContain("Exception");
        assertThat(ctl.configFile()).doesNotExist();
    }

    @Test
    void addRejectsAnAddressThatIsNotAnHttpUrl() {
        CtlRunner.Result result = ctl.run("config", "control-planes", "add", "--name", "x", "--address", "localhost:5681");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("Error: API Server URL is invalid: \"localhost:5681\"");
    }

    private void add(String name, IndexStub stub) {
        CtlRunner.Result result = ctl.run("config", "control-planes", "add", "--name", name, "--address", stub.address());
        assertThat(result.exitCode()).as(result.toString()).isZero();
    }
}
