package io.ursa.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each program's build records a start-up archive that its launcher maps (docs/performance.md, "Start time of the
 * programs"). The archive must match the class path the launcher gives, or the JVM quietly ignores it and every
 * call is slow again: with {@code -Xshare:on} a JVM that cannot map it refuses to start, so these runs prove it
 * maps. Without the archive ({@code URSA_CDS_ARCHIVE=off}) the programs work the same.
 */
class StartupArchiveTest {
    @TempDir
    Path home;

    @ParameterizedTest
    @CsvSource({
        "ursa-ctl, bin/ursactl, --help, Management tool for Ursa",
        "ursa-dp, bin/ursa-dp, --help, data plane",
        "ursa-cp, bin/ursa-cp, --help, control plane"
    })
    void theLauncherMapsTheArchiveTheBuildRecorded(String module, String launcher, String argument, String expected)
            throws Exception {
        Path archive = CpProcess.REPO.resolve(module).resolve("target").resolve(module + ".jsa");
        assertThat(archive).as("the build records %s", archive).exists();
        Path jar = CpProcess.REPO.resolve(module).resolve("target").resolve(module + ".jar");
        assertThat(Files.getLastModifiedTime(archive)).isGreaterThan(Files.getLastModifiedTime(jar));

        // -Xshare:on makes an archive that does not map fatal; the program's own help proves it ran
        Run mapped = run(launcher, argument, Map.of("JAVA_OPTS", "-Xshare:on -XX:+UnlockDiagnosticVMOptions"
                + " -XX:ArchiveRelocationMode=0"));
        assertThat(mapped.exitCode()).as(mapped.output()).isZero();
        assertThat(mapped.output()).containsIgnoringCase(expected).doesNotContainIgnoringCase("shared archive");

        Run without = run(launcher, argument, Map.of("URSA_CDS_ARCHIVE", "off"));
        assertThat(without.exitCode()).as(without.output()).isZero();
        assertThat(without.output()).isEqualTo(mapped.output());
    }

    private record Run(int exitCode, String output) {
    }

    private Run run(String launcher, String argument, Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(List.of(CpProcess.REPO.resolve(launcher).toString(), argument))
                .directory(CpProcess.REPO.toFile()).redirectErrorStream(true);
        builder.environment().put("HOME", home.toString());
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), output);
    }
}
