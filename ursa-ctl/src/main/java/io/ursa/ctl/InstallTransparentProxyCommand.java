package io.ursa.ctl;

import static java.util.Objects.requireNonNull;

import io.ursa.ctl.TransparentProxySettings.DnsRedirect;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ursactl install transparent-proxy}: kumactl 2.0's command of the same name and flags. It builds the iptables
 * rules of transparent proxying ({@link TransparentProxyRules}) and either prints them ({@code --dry-run}, in
 * iptables-restore format) or installs them with {@code iptables-restore --noflush} (and {@code ip6tables-restore}
 * when the host uses IPv6), which needs root. Not implemented, each refused with a message: {@code --store-firewalld},
 * the experimental engine and eBPF ({@code --experimental-transparent-proxy-engine}, {@code --ebpf-*}) and the
 * per-UID port exclusions that only that engine reads. Unlike kumactl, it does not remove earlier rules first (there
 * is no {@code uninstall transparent-proxy} yet): installing twice fails on the existing chains.
 */
@Command(name = "transparent-proxy", sortOptions = false,
        description = {
            "Install the iptables rules of transparent proxying on this host (kumactl install transparent-proxy).",
            "",
            "All TCP traffic of the host's applications is redirected to the data plane proxy: outbound connections "
                    + "to --redirect-outbound-port (15001), inbound ones to --redirect-inbound-port (15006), except "
                    + "SSH (22), the excluded ports and the traffic of the proxy's own user (--kuma-dp-user or "
                    + "--kuma-dp-uid), which must run ursa-dp. With --redirect-dns, DNS queries (UDP and TCP 53) to "
                    + "the servers of /etc/resolv.conf go to ursa-dp's DNS server (--redirect-dns-port, 15053), which "
                    + "answers the mesh's names (<service>.mesh) and forwards the others.",
            "",
            "Installing needs root (it runs iptables-restore); --dry-run prints the rules instead. Then run the "
                    + "proxy as that user, with a Dataplane whose networking.transparentProxying has "
                    + "redirectPortInbound: 15006 and redirectPortOutbound: 15001 (the ports given here), e.g.:",
            "  sudo ursactl install transparent-proxy --kuma-dp-user ursa-dp --redirect-dns",
            "  runuser -u ursa-dp -- ursa-dp run --cp-address https://cp:5678 --dataplane-file dp.yaml ..."
        })
final class InstallTransparentProxyCommand implements Callable<Integer> {
    private static final Pattern NUMBER = Pattern.compile("\\d+");

    @Option(names = "--dry-run", description = "print the rules (iptables-restore format) instead of installing them")
    boolean dryRun;

    @Option(names = "--verbose", description = "print the rules while installing them")
    boolean verbose;

    @Option(names = "--redirect-outbound-port", paramLabel = "PORT", defaultValue = "15001",
            description = "outbound port redirected to Envoy, as the Dataplane's "
                    + "networking.transparentProxying.redirectPortOutbound (default: ${DEFAULT-VALUE})")
    String outboundPort;

    @Option(names = "--redirect-inbound", paramLabel = "BOOL", arity = "0..1", defaultValue = "true",
            fallbackValue = "true",
            description = "redirect the inbound traffic to Envoy; false for gateway proxies (default: ${DEFAULT-VALUE})")
    boolean redirectInbound;

    @Option(names = "--redirect-inbound-port", paramLabel = "PORT", defaultValue = "15006",
            description = "inbound port redirected to Envoy, as the Dataplane's "
                    + "networking.transparentProxying.redirectPortInbound (default: ${DEFAULT-VALUE})")
    String inboundPort;

    @Option(names = "--redirect-inbound-port-v6", paramLabel = "PORT", defaultValue = "15010",
            description = "IPv6 inbound port redirected to Envoy, as the Dataplane's "
                    + "networking.transparentProxying.redirectPortInboundV6 (default: ${DEFAULT-VALUE})")
    String inboundPortV6;

    @Option(names = "--exclude-inbound-ports", paramLabel = "PORTS", defaultValue = "",
            description = "comma-separated inbound ports not redirected to Envoy")
    String excludeInboundPorts;

    @Option(names = "--exclude-outbound-ports", paramLabel = "PORTS", defaultValue = "",
            description = "comma-separated outbound ports not redirected to Envoy")
    String excludeOutboundPorts;

    @Option(names = "--kuma-dp-user", paramLabel = "USER", defaultValue = "",
            description = "the user that runs ursa-dp (its traffic is not redirected)")
    String user;

    @Option(names = "--kuma-dp-uid", paramLabel = "UID", defaultValue = "",
            description = "the uid of the user that runs ursa-dp")
    String uid;

    @Option(names = "--redirect-dns", description = "redirect DNS queries to the servers of /etc/resolv.conf to "
            + "--redirect-dns-port")
    boolean redirectDns;

    @Option(names = "--redirect-all-dns-traffic", description = "redirect all DNS queries, to any server, to "
            + "--redirect-dns-port")
    boolean redirectAllDns;

    @Option(names = "--redirect-dns-port", paramLabel = "PORT", defaultValue = "15053",
            description = "the port of ursa-dp's DNS server, its --dns-coredns-port (default: ${DEFAULT-VALUE})")
    String dnsPort;

    @Option(names = "--redirect-dns-upstream-target-chain", paramLabel = "CHAIN", defaultValue = "RETURN",
            description = "(deprecated) the chain the proxy's own DNS queries go to, IPv4 only; use with care "
                    + "(default: ${DEFAULT-VALUE})")
    String dnsUpstreamTargetChain;

    @Option(names = "--skip-dns-conntrack-zone-split", description = "do not put DNS over UDP into conntrack zones "
            + "of its own")
    boolean skipConntrackZoneSplit;

    @Option(names = "--skip-resolv-conf", hidden = true, description = "deprecated, no effect")
    boolean skipResolvConf;

    @Option(names = "--kuma-cp-ip", paramLabel = "IP", hidden = true, description = "deprecated, no effect")
    String kumaCpIp;

    @Option(names = "--store-firewalld", hidden = true, description = "not supported")
    boolean storeFirewalld;

    @Option(names = {"--experimental-transparent-proxy-engine", "--ebpf-enabled"}, hidden = true,
            description = "not supported")
    boolean experimental;

    @Option(names = {"--exclude-outbound-tcp-ports-for-uids", "--exclude-outbound-udp-ports-for-uids"},
            paramLabel = "PORTS:UIDS", hidden = true, description = "not supported")
    List<String> portsForUids;

    private final RootCommand root;

    InstallTransparentProxyCommand(RootCommand root) {
        this.root = requireNonNull(root, "root");
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        TransparentProxyHost host = root.env().host();
        TransparentProxySettings settings = settings(host);
        TransparentProxyRules.Rules rules = TransparentProxyRules.of(settings);
        if (dryRun) {
            root.env().out().print(dryRunText(rules));
            root.env().out().flush();
            return 0;
        }
        if (!host.isRoot()) {
            throw new CtlException("installing the transparent proxy rules needs root: run it with sudo, or print "
                    + "the rules with --dry-run");
        }
        root.env().out().println("ursactl is about to apply the iptables rules that will enable transparent "
                + "proxying on the machine. The SSH connection may drop. If that happens, just reconnect again.");
        if (verbose) {
            root.env().out().print(dryRunText(rules));
        }
        root.env().out().flush();
        restore(host, "iptables-restore", rules.ipv4());
        if (rules.ipv6().isPresent()) {
            // Envoy's IPv6 inbound passthrough binds to ::6; best effort, as in kumactl (it may be there already)
            host.run(List.of("ip", "-6", "addr", "add", "::6/128", "dev", "lo"), "");
            restore(host, "ip6tables-restore", rules.ipv6().get());
        }
        root.env().out().println("iptables set to diverge the traffic to Envoy.");
        root.env().out().println("Transparent proxy set up successfully");
        root.env().out().flush();
        return 0;
    }

    /** Checks every flag, then reads the host; a bad value names its flag. */
    private TransparentProxySettings settings(TransparentProxyHost host) throws IOException {
        refuseUnsupported();
        if (!dryRun && !host.isLinux()) {
            throw new CtlException("transparent proxy will work only on Linux OSes");
        }
        if (user.isEmpty() && uid.isEmpty()) {
            throw new UsageException("--kuma-dp-user or --kuma-dp-uid should be supplied");
        }
        if (!uid.isEmpty() && !NUMBER.matcher(uid).matches()) {
            throw new UsageException("invalid --kuma-dp-uid: " + Texts.quote(uid) + " (expected: a number, e.g. 5678)");
        }
        if (redirectDns && redirectAllDns) {
            throw new UsageException("one of --redirect-dns or --redirect-all-dns-traffic should be specified");
        }
        int outbound = port("--redirect-outbound-port", outboundPort);
        int inbound = port("--redirect-inbound-port", inboundPort);
        int inboundV6 = port("--redirect-inbound-port-v6", inboundPortV6);
        int dns = port("--redirect-dns-port", dnsPort);
        List<Integer> excludedIn = ports("--exclude-inbound-ports", excludeInboundPorts);
        List<Integer> excludedOut = ports("--exclude-outbound-ports", excludeOutboundPorts);
        if (dnsUpstreamTargetChain.isBlank()) {
            throw new UsageException("invalid --redirect-dns-upstream-target-chain: \"\" (expected: a chain, e.g. "
                    + "RETURN)");
        }
        if (!dnsUpstreamTargetChain.equals("RETURN")) {
            root.warn("--redirect-dns-upstream-target-chain is deprecated, please avoid using it");
        }
        if (skipResolvConf || kumaCpIp != null) {
            root.warn("--skip-resolv-conf and --kuma-cp-ip are deprecated and have no effect");
        }
        TransparentProxyHost.User proxyUser = proxyUser(host);
        DnsRedirect dnsRedirect = redirectAllDns ? DnsRedirect.ALL
                : redirectDns ? DnsRedirect.RESOLV_CONF : DnsRedirect.NONE;
        List<String> v4 = new ArrayList<>();
        List<String> v6 = new ArrayList<>();
        if (dnsRedirect == DnsRedirect.ALL) {
            v4.add("0.0.0.0");
            v6.add("::");
        } else if (dnsRedirect == DnsRedirect.RESOLV_CONF) {
            for (String server : host.resolvConfNameservers()) {
                (server.contains(":") ? v6 : v4).add(server);
            }
        }
        return new TransparentProxySettings(outbound, redirectInbound ? TransparentProxySettings.Inbound.REDIRECT
                : TransparentProxySettings.Inbound.LEAVE, inbound, inboundV6, excludedIn, excludedOut,
                proxyUser.uid(), proxyUser.gid(), dnsRedirect, dns, dnsUpstreamTargetChain,
                skipConntrackZoneSplit ? TransparentProxySettings.ConntrackZones.SKIP
                        : TransparentProxySettings.ConntrackZones.SPLIT, v4, v6,
                host.usesIpv6() ? TransparentProxySettings.IpFamilies.IPV4_AND_IPV6
                        : TransparentProxySettings.IpFamilies.IPV4);
    }

    private void refuseUnsupported() {
        if (storeFirewalld) {
            throw new UsageException("--store-firewalld is not supported by ursactl: install the rules without it and "
                    + "make them persistent with your distribution's iptables service (e.g. iptables-save > "
                    + "/etc/iptables/rules.v4)");
        }
        if (experimental) {
            throw new UsageException("--experimental-transparent-proxy-engine and --ebpf-enabled are not supported by "
                    + "ursactl: it installs the rules of kumactl's default engine");
        }
        if (portsForUids != null && !portsForUids.isEmpty()) {
            throw new UsageException("--exclude-outbound-tcp-ports-for-uids and --exclude-outbound-udp-ports-for-uids"
                    + " are not supported by ursactl (in Kuma 2.0 only the experimental engine reads them)");
        }
    }

    /**
     * The uid and gid whose traffic is not redirected, as kumactl finds them: the user with {@code --kuma-dp-uid}, else
     * the user named {@code --kuma-dp-user}; a uid that no user has is used as its own gid.
     */
    private TransparentProxyHost.User proxyUser(TransparentProxyHost host) {
        if (!uid.isEmpty()) {
            Optional<TransparentProxyHost.User> byId = host.userById(uid);
            if (byId.isPresent()) {
                return byId.get();
            }
        }
        if (!user.isEmpty()) {
            return host.userByName(user).orElseThrow(() -> new UsageException("--kuma-dp-user or --kuma-dp-uid should "
                    + "refer to a valid user on the host: no user " + Texts.quote(user)));
        }
        return new TransparentProxyHost.User("", uid, uid);
    }

    private void restore(TransparentProxyHost host, String program, String rules)
            throws IOException, InterruptedException {
        TransparentProxyHost.Outcome outcome;
        try {
            outcome = host.run(List.of(program, "--noflush"), rules);
        } catch (IOException e) {
            throw new CtlException("could not run " + program + " (is iptables installed?): " + e.getMessage());
        }
        if (outcome.exitCode() != 0) {
            throw new CtlException(program + " failed (exit code " + outcome.exitCode() + "): "
                    + outcome.output().strip() + (outcome.output().contains("exists")
                    ? " (the rules may be installed already)" : ""));
        }
    }

    private static String dryRunText(TransparentProxyRules.Rules rules) {
        StringBuilder text = new StringBuilder("# iptables-restore --noflush\n").append(rules.ipv4());
        rules.ipv6().ifPresent(v6 -> text.append("# ip6tables-restore --noflush\n").append(v6));
        return text.toString();
    }

    private static int port(String flag, String text) {
        String value = text.strip();
        if (NUMBER.matcher(value).matches() && value.length() <= 5) {
            int port = Integer.parseInt(value);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        }
        throw new UsageException("invalid " + flag + ": " + Texts.quote(text) + " (expected: a port, 1-65535)");
    }

    private static List<Integer> ports(String flag, String text) {
        List<Integer> ports = new ArrayList<>();
        if (text.isBlank()) {
            return ports;
        }
        for (String item : text.split(",")) {
            ports.add(port(flag, item));
        }
        return ports;
    }
}
