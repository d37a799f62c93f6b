package io.ursa.ctl;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A Linux host for {@code install transparent-proxy}: user {@code ursa-dp} (uid 5678, gid 5679), the given
 * resolv.conf servers, IPv6 or not, root or not; it records the programs run and answers them with exit code 0
 * unless told otherwise.
 */
final class FakeHost implements TransparentProxyHost {
    record Run(List<String> command, String input) {
    }

    private final List<String> nameservers = new ArrayList<>();
    private final List<Run> runs = new ArrayList<>();
    private boolean ipv6;
    private boolean root = true;
    private Outcome outcome = new Outcome(0, "");

    FakeHost nameservers(String... servers) {
        nameservers.addAll(List.of(servers));
        return this;
    }

    FakeHost ipv6() {
        ipv6 = true;
        return this;
    }

    FakeHost notRoot() {
        root = false;
        return this;
    }

    FakeHost programsAnswer(int exitCode, String output) {
        outcome = new Outcome(exitCode, output);
        return this;
    }

    List<Run> runs() {
        return List.copyOf(runs);
    }

    @Override
    public boolean isLinux() {
        return true;
    }

    @Override
    public boolean isRoot() {
        return root;
    }

    @Override
    public Optional<User> userByName(String name) {
        return name.equals("ursa-dp") ? Optional.of(new User("ursa-dp", "5678", "5679")) : Optional.empty();
    }

    @Override
    public Optional<User> userById(String uid) {
        return uid.equals("5678") ? userByName("ursa-dp") : Optional.empty();
    }

    @Override
    public List<String> resolvConfNameservers() {
        return List.copyOf(nameservers);
    }

    @Override
    public boolean usesIpv6() {
        return ipv6;
    }

    @Override
    public Outcome run(List<String> command, String input) {
        runs.add(new Run(List.copyOf(command), input));
        return outcome;
    }
}
