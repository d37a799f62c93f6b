package io.ursa.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * Another host on the network, for tests of what a caller that is not on loopback sees: a Linux network namespace
 * joined to this one by a veth pair, {@code 10.213.<n>.2} inside and {@code 10.213.<n>.1} on this side. Commands
 * run inside it with {@code ip netns exec}, so {@code bin/ursactl} and {@code curl} there reach the control plane
 * from a real non-loopback address. Needs root and iproute2: CI has both ({@code .ci/run} sets {@code CI}, and
 * then a missing capability fails the test); elsewhere the test is skipped with the reason.
 */
final class RemoteHost implements AutoCloseable {
    private static final AtomicInteger NEXT = new AtomicInteger();

    private final String namespace;
    private final String hostSide;
    final String address;
    final String controlPlaneAddress;

    private RemoteHost(String namespace, String hostSide, String address, String controlPlaneAddress) {
        this.namespace = namespace;
        this.hostSide = hostSide;
        this.address = address;
        this.controlPlaneAddress = controlPlaneAddress;
    }

    /** A new namespace; closing it removes the namespace and its link. */
    static RemoteHost create() throws IOException, InterruptedException {
        int n = (int) (ProcessHandle.current().pid() % 200) + NEXT.getAndIncrement();
        String ns = "ursa-e2e-" + n;
        String hostSide = "ursa" + n + "h";
        String nsSide = "ursa" + n + "n";
        String subnet = "10.213." + (n % 250) + ".";
        run(List.of("ip", "netns", "del", ns), true);
        run(List.of("ip", "link", "del", hostSide), true);
        String setup = probe(List.of("ip", "netns", "add", ns));
        if (setup != null) {
            String reason = "cannot create a network namespace (needs root and iproute2): " + setup;
            if (System.getenv("CI") != null) {
                throw new AssertionError(reason);
            }
            Assumptions.abort(reason);
        }
        RemoteHost host = new RemoteHost(ns, hostSide, subnet + "2", subnet + "1");
        try {
            run(List.of("ip", "link", "add", hostSide, "type", "veth", "peer", "name", nsSide), false);
            run(List.of("ip", "link", "set", nsSide, "netns", ns), false);
            run(List.of("ip", "addr", "add", subnet + "1/30", "dev", hostSide), false);
            run(List.of("ip", "link", "set", hostSide, "up"), false);
            host.exec("ip", "addr", "add", subnet + "2/30", "dev", nsSide);
            host.exec("ip", "link", "set", nsSide, "up");
            host.exec("ip", "link", "set", "lo", "up");
            return host;
        } catch (IOException | RuntimeException | AssertionError e) {
            host.close();
            throw e;
        }
    }

    /** What a command printed and how it ended. */
    record Result(int exitCode, String out, String err) {
    }

    /** Runs {@code command} inside the namespace and returns what it printed; a failure is fine here. */
    Result run(String stdin, List<String> command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(command);
        Process p = new ProcessBuilder(full).directory(CpProcess.REPO.toFile()).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("did not finish in the namespace: " + command);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8),
                new String(err, StandardCharsets.UTF_8));
    }

    private void exec(String... command) throws IOException, InterruptedException {
        Result r = run(null, List.of(command));
        assertThat(r.exitCode()).as("%s in %s: %s", List.of(command), namespace, r.err()).isZero();
    }

    /** Runs {@code bin/ursactl} inside the namespace with its own config file. */
    Result ursactl(Path configFile, String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(CpProcess.REPO.resolve("bin/ursactl").toString(),
                "--config-file", configFile.toString()));
        command.addAll(List.of(args));
        return run(stdin, command);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run(List.of("ip", "netns", "del", namespace), true);
        run(List.of("ip", "link", "del", hostSide), true);
    }

    /** Null when the command worked, else what it printed. */
    private static String probe(List<String> command) throws IOException, InterruptedException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor() == 0 ? null : command + ": " + output;
        } catch (IOException e) {
            return command + ": " + e.getMessage();
        }
    }

    private static void run(List<String> command, boolean mayFail) throws IOException, InterruptedException {
        String failure = probe(command);
        if (failure != null && !mayFail) {
            throw new AssertionError(failure);
        }
    }
}
