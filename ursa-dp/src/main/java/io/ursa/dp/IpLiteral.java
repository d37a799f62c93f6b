package io.ursa.dp;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A literal IPv4 or IPv6 address, never a name to resolve. An IPv6 literal stays IPv6 even when it is IPv4-mapped
 * ({@code ::ffff:240.0.0.4}, which Kuma lists for the AAAA answers of a proxy with IPv6 inbound redirection), where
 * {@link InetAddress#getByName} would turn it into IPv4.
 */
final class IpLiteral {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private IpLiteral() {
    }

    /** {@code text} as an address, or empty when it is not an IP literal. */
    static Optional<InetAddress> parse(String text) {
        boolean v6 = IPV6.matcher(text).matches();
        if (!v6 && !IPV4.matcher(text).matches()) {
            return Optional.empty();
        }
        try {
            InetAddress address = InetAddress.getByName(text);
            if (v6 && address instanceof Inet4Address v4) {
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(v4.getAddress(), 0, mapped, 12, 4);
                return Optional.of(Inet6Address.getByAddress(null, mapped, (NetworkInterface) null));
            }
            return Optional.of(address);
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
