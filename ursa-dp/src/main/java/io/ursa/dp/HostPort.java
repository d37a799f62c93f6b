package io.ursa.dp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** A {@code host[:port]} flag value: an IPv4 address, an IPv6 address in brackets, or a host name, resolved once. */
final class HostPort {
    private HostPort() {
    }

    /** {@code text} as an address; a bad one is a {@link DpException} naming {@code flag}. */
    static InetSocketAddress parse(String text, String flag, int defaultPort) {
        String expected = " (expected: host[:port], e.g. 10.0.0.2:53 or [fd00::2]:53)";
        String host = text;
        int port = defaultPort;
        int colon = text.lastIndexOf(':');
        boolean bracketed = text.startsWith("[");
        if (bracketed) {
            int close = text.indexOf(']');
            if (close < 0 || (close + 1 < text.length() && text.charAt(close + 1) != ':')) {
                throw new DpException("invalid " + flag + ": \"" + text + "\"" + expected);
            }
            host = text.substring(1, close);
            colon = close + 1 < text.length() ? close + 1 : -1;
        } else if (colon >= 0 && text.indexOf(':') != colon) {
            colon = -1; // a bare IPv6 address, without a port
        }
        if (colon >= 0) {
            if (!bracketed) {
                host = text.substring(0, colon);
            }
            try {
                port = Integer.parseInt(text.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new DpException("invalid " + flag + ": \"" + text + "\"" + expected);
            }
            if (port < 1 || port > 65535) {
                throw new DpException("invalid " + flag + ": \"" + text + "\": port " + port + " (expected: 1-65535)");
            }
        }
        if (host.isEmpty()) {
            throw new DpException("invalid " + flag + ": \"" + text + "\"" + expected);
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new DpException("invalid " + flag + ": \"" + text + "\": unknown host " + host);
        }
    }
}
