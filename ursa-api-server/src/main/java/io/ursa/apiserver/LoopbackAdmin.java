package io.ursa.apiserver;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * When a request without credentials is the admin ({@code apiServer.authn.localhostIsAdmin}): it comes from a
 * loopback address, <em>and</em> its {@code Host} header names a loopback host ({@code localhost}, {@code 127.*},
 * {@code [::1]}, with any port), so a web page that reaches the control plane through a DNS name pointing at
 * 127.0.0.1 (DNS rebinding) is not; <em>and</em> it carries no {@code Origin} header, or the request's own origin
 * ({@code <scheme>://<Host>}), so another web page open in a browser on the control plane's host is not either.
 * A pure function of the request's facts.
 */
final class LoopbackAdmin {
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9a-fA-F:.]+(%[0-9A-Za-z_.-]+)?");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");

    private LoopbackAdmin() {
    }

    /**
     * @param remoteAddress the peer's IP address as the server saw it
     * @param scheme        {@code http} or {@code https}, how the request reached the server
     * @param host          the {@code Host} header, or null
     * @param origin        the {@code Origin} header, or null
     */
    static boolean holds(String remoteAddress, String scheme, String host, String origin) {
        if (!isLoopbackAddress(remoteAddress) || host == null || !isLoopbackHost(host.strip())) {
            return false;
        }
        return origin == null || origin.strip().equalsIgnoreCase(scheme + "://" + host.strip());
    }

    /** {@code localhost}, a 127.* address or {@code [::1]}, with an optional port. */
    static boolean isLoopbackHost(String host) {
        String name;
        String port;
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            if (end < 0) {
                return false;
            }
            name = host.substring(1, end);
            String rest = host.substring(end + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                return false;
            }
            port = rest.isEmpty() ? "" : rest.substring(1);
            if (!name.contains(":")) {
                return false; // brackets are for IPv6 literals only
            }
        } else {
            int colon = host.indexOf(':');
            name = colon < 0 ? host : host.substring(0, colon);
            port = colon < 0 ? "" : host.substring(colon + 1);
            if (name.contains(":")) {
                return false;
            }
        }
        if (!port.isEmpty() && !PORT.matcher(port).matches()) {
            return false;
        }
        if (name.toLowerCase(Locale.ROOT).equals("localhost")) {
            return true;
        }
        if (name.contains(":")) {
            return isLoopbackAddress(name);
        }
        return name.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9')) && name.split("\\.", -1).length == 4
                && isLoopbackAddress(name);
    }

    /** Whether an IP literal is a loopback address; never looks a name up. */
    static boolean isLoopbackAddress(String address) {
        if (address == null || address.isEmpty()) {
            return false;
        }
        String literal = address.startsWith("[") && address.endsWith("]")
                ? address.substring(1, address.length() - 1) : address;
        if (!IP_LITERAL.matcher(literal).matches()) {
            return false;
        }
        try {
            return InetAddress.getByName(literal).isLoopbackAddress(); // an IP literal: parsed, not resolved
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
