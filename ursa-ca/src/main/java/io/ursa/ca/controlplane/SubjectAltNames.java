package io.ursa.ca.controlplane;

import static java.util.Objects.requireNonNull;

import io.ursa.api.spec.NetworkAddresses;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.x509.GeneralName;

/**
 * The DNS names and IP addresses a server certificate is for, in a canonical spelling so that sets compare by
 * value: DNS names in lower case, IPv4 dotted, IPv6 compressed as RFC 5952 writes it ({@code ::1}, never
 * {@code 0:0:0:0:0:0:0:1}). A DNS name may be a wildcard ({@code *.example.com}), which stands for exactly one
 * more label. Immutable.
 *
 * @param dnsNames the DNS names, in the order given
 * @param ips      the IP addresses, in the order given
 */
record SubjectAltNames(Set<String> dnsNames, Set<String> ips) {
    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    SubjectAltNames {
        dnsNames = Collections.unmodifiableSet(new LinkedHashSet<>(dnsNames));
        ips = Collections.unmodifiableSet(new LinkedHashSet<>(ips));
    }

    /**
     * The names a control plane's own certificate needs: the host name, {@code localhost}, {@code 127.0.0.1},
     * {@code ::1}, each listen address (for {@code 0.0.0.0} or {@code ::}, every address of every interface that is
     * up), then {@code extra}.
     *
     * @throws IllegalArgumentException when a listen address or an extra name is neither an IP nor a DNS name
     */
    static SubjectAltNames wanted(Collection<String> listenAddresses, Collection<String> extra) {
        List<String> names = new ArrayList<>();
        hostName().ifPresent(names::add);
        names.addAll(List.of("localhost", "127.0.0.1", "::1"));
        for (String listen : listenAddresses) {
            Optional<InetAddress> ip = NetworkAddresses.parseIp(listen.strip());
            if (ip.isPresent() && ip.get().isAnyLocalAddress()) {
                names.addAll(interfaceAddresses());
            } else {
                names.add(listen.strip());
            }
        }
        names.addAll(extra);
        return parse(names);
    }

    /** @throws IllegalArgumentException when a name is neither an IP nor a (wildcard) DNS name */
    static SubjectAltNames parse(Collection<String> names) {
        Set<String> dns = new LinkedHashSet<>();
        Set<String> ips = new LinkedHashSet<>();
        for (String name : names) {
            String text = requireNonNull(name, "name").strip();
            Optional<InetAddress> ip = NetworkAddresses.parseIp(text);
            if (ip.isPresent()) {
                ips.add(canonical(ip.get()));
            } else if (isDnsName(text)) {
                dns.add(text.toLowerCase(Locale.ROOT));
            } else {
                throw new IllegalArgumentException("invalid subject alternative name: \"" + text
                        + "\" (expected: a DNS name such as cp.example.com, or an IP address)");
            }
        }
        return new SubjectAltNames(dns, ips);
    }

    /** Names as a certificate has them, whatever their syntax: IP literals are IPs, anything else a DNS name. */
    static SubjectAltNames lenient(Collection<String> names) {
        Set<String> dns = new LinkedHashSet<>();
        Set<String> ips = new LinkedHashSet<>();
        for (String name : names) {
            Optional<InetAddress> ip = NetworkAddresses.parseIp(name.strip());
            if (ip.isPresent()) {
                ips.add(canonical(ip.get()));
            } else {
                dns.add(name.strip().toLowerCase(Locale.ROOT));
            }
        }
        return new SubjectAltNames(dns, ips);
    }

    /** The DNS and IP SANs of {@code certificate} (other kinds are ignored). */
    static SubjectAltNames of(X509Certificate certificate) {
        Set<String> dns = new LinkedHashSet<>();
        Set<String> ips = new LinkedHashSet<>();
        try {
            Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
            for (List<?> san : sans == null ? List.<List<?>>of() : sans) {
                int kind = (Integer) san.get(0);
                String value = (String) san.get(1);
                if (kind == SAN_DNS) {
                    dns.add(value.toLowerCase(Locale.ROOT));
                } else if (kind == SAN_IP) {
                    NetworkAddresses.parseIp(value).ifPresent(ip -> ips.add(canonical(ip)));
                }
            }
        } catch (CertificateParsingException e) {
            throw new IllegalArgumentException("the certificate's subject alternative names do not parse: "
                    + e.getMessage(), e);
        }
        return new SubjectAltNames(dns, ips);
    }

    /** The names of {@code wanted} that this set lacks. */
    SubjectAltNames missing(SubjectAltNames wanted) {
        Set<String> dns = new LinkedHashSet<>(wanted.dnsNames);
        dns.removeAll(dnsNames);
        Set<String> missingIps = new LinkedHashSet<>(wanted.ips);
        missingIps.removeAll(ips);
        return new SubjectAltNames(dns, missingIps);
    }

    boolean isEmpty() {
        return dnsNames.isEmpty() && ips.isEmpty();
    }

    /**
     * Whether a client that dials {@code host} (a name or an IP literal, without brackets or port) accepts a
     * certificate with these SANs: an IP must be listed, a name must be listed or match a wildcard.
     */
    boolean certifies(String host) {
        String text = host.strip();
        Optional<InetAddress> ip = NetworkAddresses.parseIp(text);
        if (ip.isPresent()) {
            return ips.contains(canonical(ip.get()));
        }
        String name = text.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (dnsNames.contains(name)) {
            return true;
        }
        int dot = name.indexOf('.');
        return dot > 0 && dnsNames.contains("*" + name.substring(dot));
    }

    /** DNS names, then IPs. */
    List<String> all() {
        List<String> all = new ArrayList<>(dnsNames);
        all.addAll(ips);
        return List.copyOf(all);
    }

    GeneralName[] generalNames() {
        List<GeneralName> names = new ArrayList<>();
        dnsNames.forEach(name -> names.add(new GeneralName(GeneralName.dNSName, name)));
        ips.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
        return names.toArray(GeneralName[]::new);
    }

    @Override
    public String toString() {
        return String.join(", ", all());
    }

    private static boolean isDnsName(String text) {
        String name = text.startsWith("*.") ? text.substring(2) : text;
        return NetworkAddresses.isDnsName(name) && !name.contains("*");
    }

    private static Optional<String> hostName() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            return isDnsName(name) && !NetworkAddresses.isIp(name) ? Optional.of(name) : Optional.empty();
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static List<String> interfaceAddresses() {
        List<String> addresses = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (nic.isUp()) {
                    Collections.list(nic.getInetAddresses()).forEach(address -> addresses.add(canonical(address)));
                }
            }
        } catch (SocketException e) {
            throw new IllegalStateException("cannot list the network interfaces: " + e.getMessage(), e);
        }
        return addresses;
    }

    /** The canonical spelling; an IPv6 scope ({@code %eth0}) is dropped. */
    static String canonical(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length == 4) {
            return address.getHostAddress();
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
        }
        // RFC 5952: the longest run of two or more zero groups (the first of equal runs) becomes "::".
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }
}
