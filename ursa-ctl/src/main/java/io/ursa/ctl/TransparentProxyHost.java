package io.ursa.ctl;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * What {@code install transparent-proxy} reads from and does to the machine it runs on. {@link SystemHost} is the real
 * one; tests give their own, so the rules can be checked without root or iptables.
 */
interface TransparentProxyHost {
    /** A user of /etc/passwd. */
    record User(String name, String uid, String gid) {
    }

    /** What a program printed and how it exited. */
    record Outcome(int exitCode, String output) {
    }

    boolean isLinux();

    boolean isRoot();

    /** The user named {@code name}. */
    Optional<User> userByName(String name);

    /** The user whose uid is {@code uid}. */
    Optional<User> userById(String uid);

    /** The {@code nameserver} addresses of /etc/resolv.conf, in order. */
    List<String> resolvConfNameservers() throws IOException;

    /**
     * Whether the rules are installed for IPv6 too, as kumactl 2.0 decides: the host has an IPv6 address other than
     * loopback, and ip6tables has a nat table.
     */
    boolean usesIpv6();

    /** Runs {@code command} with {@code input} on its standard input. */
    Outcome run(List<String> command, String input) throws IOException, InterruptedException;
}
