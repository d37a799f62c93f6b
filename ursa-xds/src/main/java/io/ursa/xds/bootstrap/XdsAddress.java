package io.ursa.xds.bootstrap;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/**
 * One address of the DP server that Envoy's {@code ads_cluster} dials: an instance of the control plane, as the agent
 * was told about it ({@code --cp-address}) or as the control plane is configured ({@code bootstrapServer.params}).
 *
 * @param host an IP literal (IPv6 without brackets) or a DNS name
 * @param port the DP server port, or 0 when the address did not say (the DP server's own port is meant then)
 */
public record XdsAddress(String host, int port) {
    private static final Pattern IPV4 = Pattern.compile("^\\d{1,3}(\\.\\d{1,3}){3}$");

    public XdsAddress {
        requireNonNull(host, "host");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("invalid host: \"\" (expected: an IP address or host name)");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("invalid port: " + port + " (expected: 0-65535, 0 = the DP server's)");
        }
    }

    /** This address with {@code port} when it has none. */
    public XdsAddress withDefaultPort(int defaultPort) {
        return port == 0 ? new XdsAddress(host, defaultPort) : this;
    }

    /** Whether the host is an IP address (so Envoy needs no DNS to reach it). */
    public boolean isIpLiteral() {
        return isIpLiteral(host);
    }

    static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || IPV4.matcher(host).matches();
    }

    /** {@code host:port}, {@code [v6]:port}. */
    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
