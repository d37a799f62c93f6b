package io.ursa.dp;

import static java.util.Objects.requireNonNull;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The names the DNS server answers itself, with their addresses: the {@code inline_dns_table} of the control plane's
 * {@code kuma:dns} listener (kuma-envoy-config §4 "DNS"), e.g. {@code backend.mesh → 240.0.0.3}. Names are kept in
 * lower case without the trailing dot, so a lookup is case-insensitive, as DNS is.
 *
 * @param entries the names, sorted
 */
public record DnsTable(SortedMap<String, Entry> entries) {
    /** No names: every query is forwarded. */
    public static final DnsTable EMPTY = new DnsTable(new TreeMap<>());

    /**
     * One name's answers.
     *
     * @param addresses IPv4 addresses answer A queries, IPv6 addresses AAAA queries; at least one
     * @param ttl       the TTL of the answers ({@code answer_ttl}, Kuma's 30s)
     */
    public record Entry(List<InetAddress> addresses, Duration ttl) {
        public Entry {
            addresses = List.copyOf(requireNonNull(addresses, "addresses"));
            requireNonNull(ttl, "ttl");
            if (addresses.isEmpty()) {
                throw new IllegalArgumentException("invalid DNS entry: no address (expected: at least one)");
            }
            if (ttl.isNegative()) {
                throw new IllegalArgumentException("invalid DNS TTL: " + ttl + " (expected: 0 or more)");
            }
        }

        /** The addresses of the family a query of {@code ipv6} asks for, in the table's order. */
        List<InetAddress> addresses(boolean ipv6) {
            return addresses.stream()
                    .filter(a -> ipv6 ? a instanceof Inet6Address : a instanceof Inet4Address)
                    .toList();
        }
    }

    public DnsTable {
        SortedMap<String, Entry> copy = new TreeMap<>();
        requireNonNull(entries, "entries").forEach((name, entry) -> {
            String key = normalize(name);
            if (key.isEmpty()) {
                throw new IllegalArgumentException("invalid DNS name: \"" + name + "\" (expected: a domain name)");
            }
            copy.put(key, requireNonNull(entry, "entry"));
        });
        entries = Collections.unmodifiableSortedMap(copy);
    }

    /** A table of {@code entries}, in any case and with or without the trailing dot. */
    public static DnsTable of(Map<String, Entry> entries) {
        return new DnsTable(new TreeMap<>(entries));
    }

    /** The entry of {@code name} ({@code Backend.Mesh.} finds {@code backend.mesh}). */
    public Optional<Entry> lookup(String name) {
        return Optional.ofNullable(entries.get(normalize(name)));
    }

    public int size() {
        return entries.size();
    }

    private static String normalize(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
