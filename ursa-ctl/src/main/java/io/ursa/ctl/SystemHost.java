package io.ursa.ctl;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The machine ursactl runs on: /etc/passwd, /etc/resolv.conf, its network interfaces, and its programs. */
final class SystemHost implements TransparentProxyHost {
    private static final Path PASSWD = Path.of("/etc/passwd");
    private static final Path RESOLV_CONF = Path.of("/etc/resolv.conf");
    private static final long PROGRAM_TIMEOUT_SECONDS = 60;

    @Override
    public boolean isLinux() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
    }

    @Override
    public boolean isRoot() {
        try {
            return new UnixSystem().getUid() == 0;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return false;
        }
    }

    @Override
    public Optional<User> userByName(String name) {
        return user(u -> u.name().equals(name));
    }

    @Override
    public Optional<User> userById(String uid) {
        return user(u -> u.uid().equals(uid));
    }

    private Optional<User> user(Predicate<User> wanted) {
        try {
            for (String line : Files.readAllLines(PASSWD, StandardCharsets.UTF_8)) {
                String[] fields = line.split(":", -1);
                if (fields.length >= 4) {
                    User user = new User(fields[0], fields[2], fields[3]);
                    if (wanted.test(user)) {
                        return Optional.of(user);
                    }
                }
            }
        } catch (IOException e) {
            // no passwd file: no such user
        }
        return Optional.empty();
    }

    @Override
    public List<String> resolvConfNameservers() throws IOException {
        List<String> servers = new ArrayList<>();
        for (String line : Files.readAllLines(RESOLV_CONF, StandardCharsets.UTF_8)) {
            String[] words = line.strip().split("\\s+");
            if (words.length >= 2 && words[0].equals("nameserver")) {
                servers.add(words[1]);
            }
        }
        return servers;
    }

    @Override
    public boolean usesIpv6() {
        try {
            boolean hasIpv6 = false;
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    hasIpv6 |= address instanceof Inet6Address && !address.isLoopbackAddress();
                }
            }
            return hasIpv6 && run(List.of("ip6tables", "-t", "nat", "-L"), "").exitCode() == 0;
        } catch (SocketException e) {
            return false;
        } catch (IOException e) {
            return false; // no ip6tables
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public Outcome run(List<String> command, String input) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write(input.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(PROGRAM_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Outcome(-1, output + "(did not finish within " + PROGRAM_TIMEOUT_SECONDS + "s)");
        }
        return new Outcome(process.exitValue(), output);
    }
}
