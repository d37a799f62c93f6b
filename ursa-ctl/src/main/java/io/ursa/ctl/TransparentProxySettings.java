package io.ursa.ctl;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What {@code ursactl install transparent-proxy} installs, checked: the flags of kumactl 2.0's command, plus what it
 * reads off the host (the proxy user's uid and gid, the DNS servers of /etc/resolv.conf, whether IPv6 is in use).
 *
 * @param outboundPort         {@code --redirect-outbound-port}, Envoy's outbound catch-all listener (15001)
 * @param inbound              whether inbound traffic is redirected ({@code --redirect-inbound})
 * @param inboundPort          {@code --redirect-inbound-port}, Envoy's inbound catch-all listener (15006)
 * @param inboundPortV6        {@code --redirect-inbound-port-v6}, the same for IPv6 (15010)
 * @param excludeInboundPorts  {@code --exclude-inbound-ports}: not redirected (22 never is)
 * @param excludeOutboundPorts {@code --exclude-outbound-ports}: not redirected
 * @param uid                  the uid whose traffic is not redirected (the one that runs ursa-dp and Envoy)
 * @param gid                  its group, whose traffic is not redirected either (as in Kuma)
 * @param dns                  which DNS queries go to the data plane's DNS server
 * @param dnsPort              {@code --redirect-dns-port}, ursa-dp's {@code --dns-coredns-port} (15053)
 * @param dnsUpstreamTarget    {@code --redirect-dns-upstream-target-chain}: where the proxy's own DNS queries go
 *                             (RETURN: not redirected)
 * @param conntrackZones       whether DNS over UDP is split into two conntrack zones (not with
 *                             {@code --skip-dns-conntrack-zone-split})
 * @param dnsServersV4         the IPv4 DNS servers of /etc/resolv.conf ({@code 0.0.0.0} for all DNS traffic)
 * @param dnsServersV6         the IPv6 ones ({@code ::} for all DNS traffic)
 * @param families             whether ip6tables rules are installed too (the host has an IPv6 address besides
 *                             loopback and ip6tables has a nat table, as kumactl 2.0 decides)
 */
record TransparentProxySettings(int outboundPort, Inbound inbound, int inboundPort, int inboundPortV6,
                                List<Integer> excludeInboundPorts, List<Integer> excludeOutboundPorts, String uid,
                                String gid, DnsRedirect dns, int dnsPort, String dnsUpstreamTarget,
                                ConntrackZones conntrackZones, List<String> dnsServersV4, List<String> dnsServersV6,
                                IpFamilies families) {
    /** Whether inbound connections go to Envoy. */
    enum Inbound { REDIRECT, LEAVE }

    /** Which DNS queries are redirected to the data plane's DNS server. */
    enum DnsRedirect {
        /** None ({@code --redirect-dns} not given). */
        NONE,
        /** Those to the servers of /etc/resolv.conf ({@code --redirect-dns}). */
        RESOLV_CONF,
        /** All of them, to any server ({@code --redirect-all-dns-traffic}). */
        ALL
    }

    /** Whether DNS over UDP gets conntrack zones of its own. */
    enum ConntrackZones { SPLIT, SKIP }

    /** Which iptables get rules. */
    enum IpFamilies { IPV4, IPV4_AND_IPV6 }

    TransparentProxySettings {
        requireNonNull(inbound, "inbound");
        excludeInboundPorts = List.copyOf(excludeInboundPorts);
        excludeOutboundPorts = List.copyOf(excludeOutboundPorts);
        requireNonNull(uid, "uid");
        requireNonNull(gid, "gid");
        requireNonNull(dns, "dns");
        requireNonNull(dnsUpstreamTarget, "dnsUpstreamTarget");
        requireNonNull(conntrackZones, "conntrackZones");
        dnsServersV4 = List.copyOf(dnsServersV4);
        dnsServersV6 = List.copyOf(dnsServersV6);
        requireNonNull(families, "families");
    }
}
