package io.ursa.api.spec;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Address syntax as Kuma checks it: Go's {@code net.ParseIP} and {@code net.SplitHostPort}, and govalidator's
 * {@code IsDNSName}. Never resolves names.
 */
public final class NetworkAddresses {
    private static final Pattern IPV4 = Pattern.compile("^(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}$");
    private static final Pattern IPV6_CHARS = Pattern.compile("^[0-9a-fA-F:.]+$");
    private static final Pattern DNS_NAME = Pattern.compile(
            "^([a-zA-Z0-9_][a-zA-Z0-9_-]{0,62})(\\.[a-zA-Z0-9_][a-zA-Z0-9_-]{0,62})*[._]?$");

    /** A host and port as {@link #splitHostPort} returns them (brackets of an IPv6 host removed). */
    public record HostPort(String host, String port) {
    }

    private NetworkAddresses() {
    }

    /** The address of an IPv4 ({@code 192.168.0.1}) or IPv6 ({@code fd00::1}) literal; empty for anything else. */
    public static Optional<InetAddress> parseIp(String text) {
        if (IPV4.matcher(text).matches()) {
            for (String part : text.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    return Optional.empty();
                }
            }
            return literal(text);
        }
        if (text.indexOf(':') >= 0 && IPV6_CHARS.matcher(text).matches()) {
            return literal(text);
        }
        return Optional.empty();
    }

    public static boolean isIp(String text) {
        return parseIp(text).isPresent();
    }

    /** {@code 0.0.0.0} or {@code ::} (in any spelling). */
    public static boolean isUnspecified(InetAddress address) {
        return address.isAnyLocalAddress();
    }

    /** A DNS name per govalidator: labels of letters, digits, {@code _} and {@code -}; an IP is not a name. */
    public static boolean isDnsName(String text) {
        if (text.isEmpty() || text.replace(".", "").length() > 255) {
            return false;
        }
        return !isIp(text) && DNS_NAME.matcher(text).matches();
    }

    /** Go's {@code net.SplitHostPort}: {@code host:port} or {@code [ipv6]:port}; empty when malformed. */
    public static Optional<HostPort> splitHostPort(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        String host;
        int noOpenFrom = 0;
        int noCloseFrom = 0;
        if (hostPort.startsWith("[")) {
            int end = hostPort.indexOf(']');
            if (end < 0 || end + 1 != colon) {
                return Optional.empty();
            }
            host = hostPort.substring(1, end);
            noOpenFrom = 1;
            noCloseFrom = end + 1;
        } else {
            host = hostPort.substring(0, colon);
            if (host.indexOf(':') >= 0) {
                return Optional.empty();
            }
        }
        if (hostPort.indexOf('[', noOpenFrom) >= 0 || hostPort.indexOf(']', noCloseFrom) >= 0) {
            return Optional.empty();
        }
        return Optional.of(new HostPort(host, hostPort.substring(colon + 1)));
    }

    private static Optional<InetAddress> literal(String text) {
        try {
            // A literal: getByName parses it without any lookup (IPv4 digits checked above, IPv6 has ':').
            return Optional.of(InetAddress.getByName(text));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
