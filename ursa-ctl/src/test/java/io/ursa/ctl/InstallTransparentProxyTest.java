package io.ursa.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code ursactl install transparent-proxy}: the rules it prints for each combination of flags (golden files in
 * iptables-restore format, {@code install-transparent-proxy-*.golden.txt}), how it installs them, and its errors.
 */
class InstallTransparentProxyTest {
    @TempDir
    Path home;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            default           | --kuma-dp-uid 5678
            redirect-dns      | --kuma-dp-user ursa-dp --redirect-dns
            all-dns           | --kuma-dp-user ursa-dp --redirect-all-dns-traffic --skip-dns-conntrack-zone-split
            excluded-ports    | --kuma-dp-uid 5678 --exclude-inbound-ports 443,8443 --exclude-outbound-ports 5432 --redirect-outbound-port 16001 --redirect-inbound-port 16006
            no-inbound        | --kuma-dp-uid 5678 --redirect-inbound=false
            unknown-uid       | --kuma-dp-uid 4242
            ipv6-dns          | --kuma-dp-user ursa-dp --redirect-dns --redirect-inbound-port-v6 16010
            """)
    void printsKumasRulesForEachCombinationOfFlags(String name, String flags) {
        FakeHost host = new FakeHost().nameservers("10.0.0.2", "10.0.0.3");
        if (name.startsWith("ipv6")) {
            host = new FakeHost().nameservers("10.0.0.2", "fd00::2").ipv6();
        }
        CtlRunner.Result result = run(host, flags + " --dry-run");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        Golden.assertMatches(result.out(), "install-transparent-proxy-" + name + ".golden.txt");
        assertThat(host.runs()).isEmpty();
    }

    /**
     * The printed rules are what iptables-restore itself accepts ({@code --test}: parsed, never committed). Runs where
     * iptables is installed and the test runs as root; skipped elsewhere.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"default", "redirect-dns", "all-dns", "excluded-ports", "no-inbound", "unknown-uid", "ipv6-dns"})
    void goldenRulesAreAcceptedByIptablesRestore(String name) throws Exception {
        SystemHost system = new SystemHost();
        Assumptions.assumeTrue(system.isRoot(), "iptables-restore --test needs root");
        String golden = Golden.read("install-transparent-proxy-" + name + ".golden.txt");
        String[] families = golden.split("# ip6tables-restore --noflush\n");
        try {
            assertRestoreAccepts(system, "iptables-restore", families[0]);
            if (families.length > 1) {
                assertRestoreAccepts(system, "ip6tables-restore", families[1]);
            }
        } catch (java.io.IOException e) {
            Assumptions.abort("iptables is not installed: " + e.getMessage());
        }
    }

    private static void assertRestoreAccepts(SystemHost system, String program, String rules) throws Exception {
        TransparentProxyHost.Outcome outcome = system.run(List.of(program, "--test", "--noflush"), rules);
        if (outcome.exitCode() != 0 && KERNEL_REFUSALS.stream().anyMatch(outcome.output()::contains)) {
            // The rules were not judged: this host's kernel gives no netfilter to the test (a container, say).
            Assumptions.abort(program + " cannot reach netfilter here: " + outcome.output());
        }
        assertThat(outcome.exitCode()).as(program + " --test said: " + outcome.output()).isZero();
    }

    /** What iptables-restore says when the kernel, not the rules, is the problem. */
    private static final List<String> KERNEL_REFUSALS = List.of("Permission denied", "do you need to insmod",
            "Could not fetch rule set generation id", "Protocol not supported", "Operation not permitted");

    @Test
    void installsTheRulesWithIptablesRestore() {
        FakeHost host = new FakeHost().nameservers("10.0.0.2");

        CtlRunner.Result result = run(host, "--kuma-dp-user ursa-dp --redirect-dns");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        String printed = run(new FakeHost().nameservers("10.0.0.2"), "--kuma-dp-user ursa-dp --redirect-dns "
                + "--dry-run").out();
        assertThat(host.runs()).containsExactly(new FakeHost.Run(List.of("iptables-restore", "--noflush"),
                printed.replace("# iptables-restore --noflush\n", "")));
        assertThat(result.out()).contains("Transparent proxy set up successfully");
    }

    @Test
    void installsTheIpv6RulesWithIp6tablesRestoreAndAddsTheIpv6PassthroughAddress() {
        FakeHost host = new FakeHost().ipv6();

        assertThat(run(host, "--kuma-dp-uid 5678").exitCode()).isZero();

        assertThat(host.runs()).extracting(FakeHost.Run::command).containsExactly(
                List.of("iptables-restore", "--noflush"),
                List.of("ip", "-6", "addr", "add", "::6/128", "dev", "lo"),
                List.of("ip6tables-restore", "--noflush"));
        assertThat(host.runs().get(2).input()).contains("-A MESH_OUTPUT -o lo -s ::6/128 -j RETURN");
    }

    @Test
    void saysWhyWhenIptablesRestoreFails() {
        FakeHost host = new FakeHost().programsAnswer(1, "iptables-restore: line 2 failed: Chain already exists.");

        CtlRunner.Result result = run(host, "--kuma-dp-uid 5678");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("Error: iptables-restore failed (exit code 1): iptables-restore: line 2 "
                + "failed: Chain already exists. (the rules may be installed already)\n");
    }

    @Test
    void needsRootToInstall() {
        FakeHost host = new FakeHost().notRoot();

        CtlRunner.Result result = run(host, "--kuma-dp-uid 5678");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("Error: installing the transparent proxy rules needs root: run it with "
                + "sudo, or print the rules with --dry-run\n");
        assertThat(host.runs()).isEmpty();
        assertThat(run(host, "--kuma-dp-uid 5678 --dry-run").exitCode()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            --kuma-dp-uid 5678 --redirect-outbound-port 70000    | Error: invalid --redirect-outbound-port: "70000" (expected: a port, 1-65535)
            --kuma-dp-uid 5678 --redirect-inbound-port http      | Error: invalid --redirect-inbound-port: "http" (expected: a port, 1-65535)
            --kuma-dp-uid 5678 --redirect-dns-port 0             | Error: invalid --redirect-dns-port: "0" (expected: a port, 1-65535)
            --kuma-dp-uid 5678 --exclude-inbound-ports 443,x     | Error: invalid --exclude-inbound-ports: "x" (expected: a port, 1-65535)
            --kuma-dp-uid 5678 --exclude-outbound-ports 99999    | Error: invalid --exclude-outbound-ports: "99999" (expected: a port, 1-65535)
            --kuma-dp-uid ursa                                   | Error: invalid --kuma-dp-uid: "ursa" (expected: a number, e.g. 5678)
            --kuma-dp-user nobody-here                           | Error: --kuma-dp-user or --kuma-dp-uid should refer to a valid user on the host: no user "nobody-here"
            --redirect-dns                                       | Error: --kuma-dp-user or --kuma-dp-uid should be supplied
            --kuma-dp-uid 5678 --redirect-dns --redirect-all-dns-traffic | Error: one of --redirect-dns or --redirect-all-dns-traffic should be specified
            --kuma-dp-uid 5678 --store-firewalld                 | Error: --store-firewalld is not supported by ursactl: install the rules without it and make them persistent with your distribution's iptables service (e.g. iptables-save > /etc/iptables/rules.v4)
            """)
    void refusesBadFlagsNamingTheFlag(String flags, String error) {
        FakeHost host = new FakeHost();

        CtlRunner.Result result = run(host, flags + " --dry-run");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ErrorHandlers.USAGE);
        assertThat(result.err()).isEqualTo(error + "\n");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void refusesAnUnknownFlagWithUsage() {
        CtlRunner.Result result = run(new FakeHost(), "--kuma-dp-uid 5678 --ip-family-mode ipv4");

        assertThat(result.exitCode()).isEqualTo(ErrorHandlers.USAGE);
        assertThat(result.err()).startsWith("Error: Unknown options: '--ip-family-mode', 'ipv4'")
                .endsWith("Run 'ursactl install transparent-proxy --help' for usage.\n");
    }

    @Test
    void explainsWhatItDoesAndThatItNeedsRoot() {
        CtlRunner.Result result = run(new FakeHost(), "--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("Installing needs root").contains("--dry-run")
                .contains("--redirect-dns-port=PORT").contains("--kuma-dp-user=USER")
                .doesNotContain("--store-firewalld");
    }

    private CtlRunner.Result run(FakeHost host, String flags) {
        List<String> args = new java.util.ArrayList<>(List.of("install", "transparent-proxy"));
        args.addAll(List.of(flags.strip().split("\\s+")));
        return new CtlRunner(home).withHost(host).run(args.toArray(String[]::new));
    }
}
