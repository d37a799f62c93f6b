package io.ursa.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * The real {@code bin/ursa-dp run} against a {@link CpProcess}, with {@link FakeEnvoy} as its Envoy binary (Envoy
 * cannot run here), its output in {@code <dir>/<log>.log}.
 */
final class DpProcess {
    private DpProcess() {
    }

    /** Starts {@code ursa-dp run} with the control plane's address and CA, then {@code args}. */
    static Process start(Path dir, CpProcess cp, String log, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(CpProcess.REPO.resolve("bin/ursa-dp").toString(), "run",
                "--cp-address", cp.dpUrl(), "--ca-cert-file", cp.caFile().toString(),
                "--binary-path", fakeEnvoy(dir).toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(CpProcess.REPO.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(log + ".log").toFile()).start();
    }

    /** An executable in {@code dir} that runs {@link FakeEnvoy} on this test's classpath. */
    static Path fakeEnvoy(Path dir) throws IOException {
        Path script = dir.resolve("fake-envoy");
        if (Files.exists(script)) {
            return script;
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Files.writeString(script, "#!/bin/sh\nexec '" + java + "' -cp '" + System.getProperty("java.class.path")
                + "' " + FakeEnvoy.class.getName() + " \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }
}
