package io.ursa.ctl;

import static java.util.Objects.requireNonNull;

import io.ursa.ctl.TransparentProxySettings.DnsRedirect;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The iptables rules of transparent proxying, as kumactl 2.0's {@code install transparent-proxy} installs them with
 * its default engine (Istio's {@code istio-iptables} as Kuma 2.0.8 ships it, REDIRECT mode, every inbound port and
 * every outbound address), in iptables-restore format. Chains, in the nat table:
 * <ul>
 *   <li>{@code MESH_INBOUND} (from PREROUTING, TCP): RETURN for 15008 (the tunnel port), 22 (SSH) and
 *       {@code --exclude-inbound-ports}; everything else to {@code MESH_IN_REDIRECT}.</li>
 *   <li>{@code MESH_IN_REDIRECT}: REDIRECT to the inbound port (15006; 15010 for IPv6).</li>
 *   <li>{@code MESH_OUTPUT} (from OUTPUT, TCP): RETURN for {@code --exclude-outbound-ports}; RETURN for
 *       connections from 127.0.0.6 on lo (Envoy's inbound passthrough binds there); the proxy user's own traffic is
 *       not redirected, except to itself over lo through a VIP (then it goes to {@code MESH_IN_REDIRECT}); with DNS
 *       redirection TCP DNS to the resolv.conf servers goes to the DNS port; 127.0.0.1 is left alone; everything
 *       else to {@code MESH_REDIRECT}.</li>
 *   <li>{@code MESH_REDIRECT}: REDIRECT to the outbound port (15001).</li>
 * </ul>
 * With DNS redirection, UDP 53 to the resolv.conf servers (or to anyone, {@code --redirect-all-dns-traffic}) is
 * redirected to the DNS port at the top of OUTPUT, except the proxy user's own queries; and unless
 * {@code --skip-dns-conntrack-zone-split}, the raw table puts the proxy's upstream queries and the applications'
 * queries into conntrack zones 1 and 2, so the two UDP flows of one query never collide. The ip6tables rules are the
 * same for IPv6 (::6, ::1, the IPv6 inbound port), without the raw table, as in Kuma 2.0; one difference: the IPv6
 * TCP DNS redirect comes after the proxy user's RETURN, as for IPv4 (Kuma 2.0 puts it first in {@code MESH_OUTPUT},
 * which sends the DNS server's own TCP queries to IPv6 resolvers back to itself).
 *
 * <p>Kuma 2.0's experimental engine ({@code --experimental-transparent-proxy-engine}, kuma-net, the
 * {@code KUMA_MESH_*} chains that later Kuma versions install by default) is not implemented.
 */
final class TransparentProxyRules {
    static final String INBOUND = "MESH_INBOUND";
    static final String IN_REDIRECT = "MESH_IN_REDIRECT";
    static final String OUTPUT = "MESH_OUTPUT";
    static final String REDIRECT = "MESH_REDIRECT";
    static final int TUNNEL_PORT = 15008;
    static final int SSH_PORT = 22;
    private static final Set<String> BUILT_IN = Set.of("PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING");
    private static final List<String> TABLES = List.of("nat", "raw");

    private TransparentProxyRules() {
    }

    /** The rules for iptables-restore and, when IPv6 is in use, for ip6tables-restore. */
    record Rules(String ipv4, Optional<String> ipv6) {
        Rules {
            requireNonNull(ipv4, "ipv4");
            requireNonNull(ipv6, "ipv6");
        }
    }

    static Rules of(TransparentProxySettings settings) {
        String v4 = ipv4(settings).render();
        Optional<String> v6 = settings.families() == TransparentProxySettings.IpFamilies.IPV4_AND_IPV6
                ? Optional.of(ipv6(settings).render()) : Optional.empty();
        return new Rules(v4, v6);
    }

    private static Table ipv4(TransparentProxySettings s) {
        Table t = new Table();
        boolean dns = s.dns() != DnsRedirect.NONE;
        redirects(t, s, s.inboundPort());
        t.append("nat", OUTPUT, "-o lo -s 127.0.0.6/32 -j RETURN");
        ownerRules(t, s, "uid", s.uid(), "127.0.0.1/32", dns);
        ownerRules(t, s, "gid", s.gid(), "127.0.0.1/32", false);
        if (dns) {
            for (String server : s.dnsServersV4()) {
                t.append("nat", OUTPUT, "-p tcp --dport 53" + destination(server, "0.0.0.0", "/32")
                        + " -j REDIRECT --to-ports " + s.dnsPort());
            }
        }
        t.append("nat", OUTPUT, "-d 127.0.0.1/32 -j RETURN");
        t.append("nat", OUTPUT, "-j " + REDIRECT);
        if (dns) {
            udpDns(t, s, s.dnsUpstreamTarget(), s.dnsServersV4(), "0.0.0.0", "/32");
            if (s.conntrackZones() == TransparentProxySettings.ConntrackZones.SPLIT) {
                conntrackZones(t, s);
            }
        }
        return t;
    }

    private static Table ipv6(TransparentProxySettings s) {
        Table t = new Table();
        redirects(t, s, s.inboundPortV6());
        t.append("nat", OUTPUT, "-o lo -s ::6/128 -j RETURN");
        for (String[] owner : List.of(new String[] {"uid", s.uid()}, new String[] {"gid", s.gid()})) {
            String match = "-m owner --" + owner[0] + "-owner " + owner[1];
            t.append("nat", OUTPUT, "-o lo ! -d ::1/128 " + match + " -j " + IN_REDIRECT);
            t.append("nat", OUTPUT, "-o lo -m owner ! --" + owner[0] + "-owner " + owner[1] + " -j RETURN");
            t.append("nat", OUTPUT, match + " -j RETURN");
        }
        if (s.dns() != DnsRedirect.NONE) {
            // after the proxy user's RETURN, as for IPv4 (Kuma 2.0 puts these first in MESH_OUTPUT for IPv6, which
            // would send the DNS server's own TCP queries to IPv6 servers back to itself)
            for (String server : s.dnsServersV6()) {
                t.append("nat", OUTPUT, "-p tcp --dport 53" + destination(server, "::", "/128")
                        + " -j REDIRECT --to-ports " + s.dnsPort());
            }
        }
        t.append("nat", OUTPUT, "-d ::1/128 -j RETURN");
        t.append("nat", OUTPUT, "-j " + REDIRECT);
        if (s.dns() != DnsRedirect.NONE) {
            // the upstream target chain may exist for IPv4 only, so IPv6 always returns (as in Kuma)
            udpDns(t, s, "RETURN", s.dnsServersV6(), "::", "/128");
        }
        return t;
    }

    /**
     * What both families start with: the tunnel port left alone, the two REDIRECT chains, the inbound rules, and
     * OUTPUT → MESH_OUTPUT with the excluded outbound ports left alone.
     */
    private static void redirects(Table t, TransparentProxySettings s, int inboundPort) {
        t.append("nat", INBOUND, "-p tcp --dport " + TUNNEL_PORT + " -j RETURN");
        t.append("nat", REDIRECT, "-p tcp -j REDIRECT --to-ports " + s.outboundPort());
        t.append("nat", IN_REDIRECT, "-p tcp -j REDIRECT --to-ports " + inboundPort);
        inbound(t, s);
        t.append("nat", "OUTPUT", "-p tcp -j " + OUTPUT);
        for (int port : s.excludeOutboundPorts()) {
            t.append("nat", OUTPUT, "-p tcp --dport " + port + " -j RETURN");
        }
    }

    /** PREROUTING → MESH_INBOUND, which leaves the tunnel port, SSH and the excluded ports alone. */
    private static void inbound(Table t, TransparentProxySettings s) {
        if (s.inbound() != TransparentProxySettings.Inbound.REDIRECT) {
            return;
        }
        t.append("nat", "PREROUTING", "-p tcp -j " + INBOUND);
        t.append("nat", INBOUND, "-p tcp --dport " + SSH_PORT + " -j RETURN");
        for (int port : s.excludeInboundPorts()) {
            t.append("nat", INBOUND, "-p tcp --dport " + port + " -j RETURN");
        }
        t.append("nat", INBOUND, "-p tcp -j " + IN_REDIRECT);
    }

    /**
     * The proxy user's (or group's) traffic: to itself over lo through a VIP goes back through Envoy's inbound;
     * other users' traffic over lo is left alone (with DNS redirection: except TCP DNS, which the rules below catch);
     * the rest of its traffic is not redirected.
     */
    private static void ownerRules(Table t, TransparentProxySettings s, String kind, String id, String loopback,
                                   boolean skipDns) {
        String owner = "--" + kind + "-owner " + id;
        t.append("nat", OUTPUT, "-o lo ! -d " + loopback + (skipDns ? " -p tcp ! --dport 53" : "") + " -m owner "
                + owner + " -j " + IN_REDIRECT);
        if (s.dns() != DnsRedirect.NONE) {
            t.append("nat", OUTPUT, "-o lo -p tcp ! --dport 53 -m owner ! " + owner + " -j " + s.dnsUpstreamTarget());
        } else {
            t.append("nat", OUTPUT, "-o lo -m owner ! " + owner + " -j RETURN");
        }
        t.append("nat", OUTPUT, "-m owner " + owner + " -j RETURN");
    }

    /** At the top of OUTPUT: the proxy's own DNS queries go to {@code upstreamTarget}, the others to the DNS port. */
    private static void udpDns(Table t, TransparentProxySettings s, String upstreamTarget, List<String> servers,
                               String any, String hostMask) {
        int position = 1;
        t.append("nat", "OUTPUT", "-I", position++, "-p udp --dport 53 -m owner --uid-owner " + s.uid() + " -j "
                + upstreamTarget);
        t.append("nat", "OUTPUT", "-I", position++, "-p udp --dport 53 -m owner --gid-owner " + s.gid() + " -j "
                + upstreamTarget);
        for (String server : servers) {
            t.append("nat", "OUTPUT", "-I", position++, "-p udp --dport 53" + destination(server, any, hostMask)
                    + " -j REDIRECT --to-port " + s.dnsPort());
        }
    }

    /** Zone 1: the proxy and the DNS servers; zone 2: the applications and the proxy's DNS server. */
    private static void conntrackZones(Table t, TransparentProxySettings s) {
        for (String owner : List.of("--uid-owner " + s.uid(), "--gid-owner " + s.gid())) {
            t.append("raw", "OUTPUT", "-p udp --dport 53 -m owner " + owner + " -j CT --zone 1");
            t.append("raw", "OUTPUT", "-p udp --sport " + s.dnsPort() + " -m owner " + owner + " -j CT --zone 2");
        }
        if (s.dns() == DnsRedirect.ALL) {
            t.append("raw", "OUTPUT", "-p udp --dport 53 -j CT --zone 2");
            t.append("raw", "PREROUTING", "-p udp --sport 53 -j CT --zone 1");
            return;
        }
        for (String server : s.dnsServersV4()) {
            t.append("raw", "OUTPUT", "-p udp --dport 53 -d " + server + "/32 -j CT --zone 2");
            t.append("raw", "PREROUTING", "-p udp --sport 53 -d " + server + "/32 -j CT --zone 1");
        }
    }

    private static String destination(String server, String any, String hostMask) {
        return server.equals(any) ? "" : " -d " + server + hostMask;
    }

    /**
     * The rules of one family, table by table: new chains declared ({@code -N}) in the order they first appear, then
     * the rules in the order they were added, as Kuma's builder writes them.
     */
    private static final class Table {
        private final Map<String, Set<String>> chains = new LinkedHashMap<>();
        private final Map<String, List<String>> rules = new LinkedHashMap<>();

        void append(String table, String chain, String rule) {
            add(table, chain, "-A " + chain + " " + rule);
        }

        void append(String table, String chain, String insert, int position, String rule) {
            add(table, chain, insert + " " + chain + " " + position + " " + rule);
        }

        private void add(String table, String chain, String line) {
            if (!BUILT_IN.contains(chain)) {
                chains.computeIfAbsent(table, k -> new LinkedHashSet<>()).add(chain);
            }
            rules.computeIfAbsent(table, k -> new ArrayList<>()).add(line);
        }

        String render() {
            StringBuilder text = new StringBuilder();
            for (String table : TABLES) {
                if (!rules.containsKey(table)) {
                    continue;
                }
                text.append('*').append(table).append('\n');
                chains.getOrDefault(table, Set.of()).forEach(chain -> text.append("-N ").append(chain).append('\n'));
                rules.get(table).forEach(rule -> text.append(rule).append('\n'));
                text.append("COMMIT\n");
            }
            return text.toString();
        }
    }
}
