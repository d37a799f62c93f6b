package io.ursa.dp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The system's DNS servers: the {@code nameserver} lines of {@code /etc/resolv.conf}, in order, on port 53. This is
 * where Kuma's CoreDNS sends the names Envoy does not know ({@code alternate ... /etc/resolv.conf}); under
 * transparent proxying the agent's own queries to them are not redirected, because iptables exempts its user.
 */
final class ResolvConf {
    static final Path SYSTEM = Path.of("/etc/resolv.conf");
    static final int DNS_PORT = 53;

    private ResolvConf() {
    }

    /** The name servers listed in {@code file}; none when it is missing, unreadable or lists none. */
    static List<InetSocketAddress> nameservers(Path file) throws IOException {
        List<InetSocketAddress> servers = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] words = line.strip().split("\\s+");
            if (words.length >= 2 && words[0].equals("nameserver")) {
                // a value that is not an address is ignored, as resolv.conf(5) readers do
                IpLiteral.parse(words[1]).ifPresent(address -> servers.add(new InetSocketAddress(address, DNS_PORT)));
            }
        }
        return List.copyOf(servers);
    }
}
