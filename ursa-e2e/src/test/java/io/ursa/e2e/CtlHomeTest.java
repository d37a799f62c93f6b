package io.ursa.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/ursactl} keeps its configuration under {@code $HOME}, as kumactl does: a script or a test that sets
 * {@code HOME} never reads or writes the real user's {@code ~/.ursactl/config}.
 */
class CtlHomeTest {
    @TempDir
    Path home;

    @Test
    void theConfigurationFileIsTheOneUnderHome() throws Exception {
        Path config = Files.createDirectories(home.resolve(".ursactl")).resolve("config");
        Files.writeString(config, """
                contexts:
                - controlPlane: from-home
                  name: from-home
                controlPlanes:
                - coordinates:
                    apiServer:
                      url: http://127.0.0.1:1
                  name: from-home
                currentContext: from-home
                """);

        ProcessBuilder view = new ProcessBuilder(CpProcess.REPO.resolve("bin/ursactl").toString(), "config", "view")
                .directory(CpProcess.REPO.toFile()).redirectErrorStream(true);
        view.environment().put("HOME", home.toString());
        Process process = view.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("currentContext: from-home").contains("url: http://127.0.0.1:1");
    }
}
