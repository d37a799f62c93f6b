package io.ursa.dp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvoyVersionTest {
    @Test
    void parsesTheBuildLineOfEnvoyVersion() {
        assertThat(EnvoyVersion.parse("\nenvoy  version: 50ef0945/1.24.2/Clean/RELEASE/BoringSSL\n"))
                .contains(new EnvoyVersion("50ef0945/1.24.2/Clean/RELEASE/BoringSSL", "1.24.2", true));
    }

    @Test
    void marksOtherLinesIncompatible() {
        assertThat(EnvoyVersion.parse("version: abc/1.25.0/Clean/RELEASE/BoringSSL").orElseThrow().compatible())
                .isFalse();
        assertThat(EnvoyVersion.isSupported("1.240.1")).isFalse();
    }

    @Test
    void refusesOutputWithoutAFivePartBuild() {
        assertThat(EnvoyVersion.parse("envoy 1.24.2")).isEmpty();
        assertThat(EnvoyVersion.parse("version: abc/1.24.2")).isEmpty();
    }

    @Test
    void readsTheCgroupMemoryLimit(@TempDir Path cgroup) throws IOException {
        assertThat(MemoryLimit.detect(cgroup)).isZero();
        Files.writeString(cgroup.resolve("memory.max"), "max\n");
        assertThat(MemoryLimit.detect(cgroup)).isZero();
        Files.writeString(cgroup.resolve("memory.max"), "536870912\n");
        assertThat(MemoryLimit.detect(cgroup)).isEqualTo(536870912L);
    }
}
