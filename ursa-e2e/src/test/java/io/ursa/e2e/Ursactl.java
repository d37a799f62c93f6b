package io.ursa.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code bin/ursactl} as a user would, with its own config file, and captures what it prints. */
final class Ursactl {
    record Result(int exitCode, String out, String err) {
    }

    private final Path configFile;

    Ursactl(Path configFile) {
        this.configFile = configFile;
    }

    Result run(String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(CpProcess.REPO.resolve("bin/ursactl").toString());
        command.add("--config-file");
        command.add(configFile.toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(CpProcess.REPO.toFile()).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("ursactl " + args[0] + " did not finish");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }
}
