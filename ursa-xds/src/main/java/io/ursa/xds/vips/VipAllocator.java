package io.ursa.xds.vips;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;

/**
 * Gives every wanted {@link VipEntry} a VIP of {@value #CIDR} (Kuma's {@code dnsServer.CIDR} default), keeping the
 * VIP each entry already has. A stateless function; its caller decides when a new table is stored.
 *
 * <ul>
 *   <li>An entry of {@code previous} that is still wanted keeps its VIP: a live service's VIP never changes and is
 *       never given to another entry.</li>
 *   <li>An entry that is no longer wanted is dropped, and its VIP is free again.</li>
 *   <li>A new entry gets the address its name hashes to (the first 28 bits of the SHA-256 of {@link VipEntry#key()}
 *       as the host part), or, when that one is taken, the next free one after it (wrapping around). New entries are
 *       placed in entry order, so the same previous table and the same wanted entries always give the same table.</li>
 * </ul>
 *
 * <p>Kuma hands out the lowest free address instead ({@code 240.0.0.0}, {@code 240.0.0.1}, ...), so a service's VIP
 * there depends on the order services appeared in. Hashing makes a service's VIP depend on its name alone except
 * on a collision (rare among 2^28 addresses): two control planes that allocate for the same mesh at once, or a mesh
 * whose stored table was lost, arrive at the same VIPs, and a freed VIP is not handed to the next new service
 * while clients may still hold it in their DNS cache. Nothing outside the CIDR depends on which VIP is chosen.
 */
final class VipAllocator {
    /** Where VIPs come from (Kuma's {@code dnsServer.CIDR}). */
    static final String CIDR = "240.0.0.0/4";
    private static final long BASE = 0xF0000000L;
    private static final long SIZE = 1L << 28;

    private VipAllocator() {
    }

    /** The table that gives every entry of {@code wanted} a VIP, keeping those of {@code previous}. */
    static VipTable allocate(VipTable previous, SortedSet<VipEntry> wanted) {
        SortedMap<VipEntry, String> next = new TreeMap<>();
        Set<Long> taken = new HashSet<>();
        previous.vips().forEach((entry, vip) -> {
            if (wanted.contains(entry)) {
                next.put(entry, vip);
                taken.add(toLong(vip));
            }
        });
        if (next.size() == wanted.size()) {
            return next.size() == previous.vips().size() ? previous : new VipTable(next);
        }
        if (wanted.size() > SIZE) {
            throw new IllegalStateException("cannot give " + wanted.size() + " names a VIP each: " + CIDR
                    + " has " + SIZE + " addresses");
        }
        for (VipEntry entry : wanted) {
            if (next.containsKey(entry)) {
                continue;
            }
            long offset = preferredOffset(entry);
            while (taken.contains(BASE + offset)) {
                offset = (offset + 1) % SIZE;
            }
            taken.add(BASE + offset);
            next.put(entry, toAddress(BASE + offset));
        }
        return new VipTable(next);
    }

    /**
     * Checks that {@code address} is a dotted IPv4 address within {@link #CIDR}.
     *
     * @throws IllegalArgumentException naming the address otherwise
     */
    static void checkInRange(String address) {
        long value = toLong(address);
        if (value < BASE || value >= BASE + SIZE) {
            throw new IllegalArgumentException("invalid VIP: " + address + " (expected: an address of " + CIDR + ")");
        }
    }

    private static long preferredOffset(VipEntry entry) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(entry.key().getBytes(StandardCharsets.UTF_8));
            long bits = ((digest[0] & 0xFFL) << 24) | ((digest[1] & 0xFFL) << 16) | ((digest[2] & 0xFFL) << 8)
                    | (digest[3] & 0xFFL);
            return bits % SIZE;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    private static long toLong(String address) {
        String[] parts = address.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("invalid VIP: " + address + " (expected: a dotted IPv4 address)");
        }
        long value = 0;
        for (String part : parts) {
            int octet;
            try {
                octet = part.length() > 3 ? -1 : Integer.parseInt(part);
            } catch (NumberFormatException e) {
                octet = -1;
            }
            if (octet < 0 || octet > 255) {
                throw new IllegalArgumentException("invalid VIP: " + address + " (expected: a dotted IPv4 address)");
            }
            value = (value << 8) | octet;
        }
        return value;
    }

    private static String toAddress(long value) {
        return ((value >> 24) & 0xFF) + "." + ((value >> 16) & 0xFF) + "." + ((value >> 8) & 0xFF) + "."
                + (value & 0xFF);
    }
}
