package io.ursa.xds.vips;

import static java.util.Objects.requireNonNull;

import java.util.Comparator;

/**
 * A name of a mesh that gets its own VIP (Kuma's {@code vips.HostnameEntry}): a service (a {@code kuma.io/service}
 * value of a Dataplane inbound or an ExternalService), a host that a VirtualOutbound generates, or the hostname of
 * a cross-mesh MeshGateway listener of another mesh (a fully qualified domain, Kuma's {@code fqdn} entry). A service
 * {@code api} and a VirtualOutbound host {@code api} are two entries with two VIPs, as in Kuma.
 *
 * @param kind what the name is
 * @param name the service name or the hostname
 */
public record VipEntry(Kind kind, String name) implements Comparable<VipEntry> {
    private static final Comparator<VipEntry> ORDER = Comparator.comparing(VipEntry::kind)
            .thenComparing(VipEntry::name);

    /** What an entry names; {@link #key()} starts with the prefix. */
    public enum Kind {
        /**
         * The hostname of a cross-mesh gateway listener; listed first, as Kuma orders its entries by type name
         * ({@code fqdn}, {@code host}, {@code service}).
         */
        FQDN("fqdn:"),
        HOST("host:"),
        SERVICE("service:");

        private final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }
    }

    public VipEntry {
        requireNonNull(kind, "kind");
        requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("invalid VIP entry: empty " + kind.name().toLowerCase() + " name");
        }
    }

    public static VipEntry service(String name) {
        return new VipEntry(Kind.SERVICE, name);
    }

    public static VipEntry host(String name) {
        return new VipEntry(Kind.HOST, name);
    }

    public static VipEntry fqdn(String name) {
        return new VipEntry(Kind.FQDN, name);
    }

    /**
     * How the entry is written in the stored table: {@code service:<name>}, {@code host:<name>} or
     * {@code fqdn:<name>}.
     */
    public String key() {
        return kind.prefix + name;
    }

    /**
     * The entry a stored key names.
     *
     * @throws IllegalArgumentException when {@code key} starts with neither {@code service:} nor {@code host:}
     */
    public static VipEntry parse(String key) {
        for (Kind kind : Kind.values()) {
            if (key.startsWith(kind.prefix)) {
                return new VipEntry(kind, key.substring(kind.prefix.length()));
            }
        }
        throw new IllegalArgumentException("invalid VIP entry: \"" + key + "\" (expected: service:<name>, "
                + "host:<name> or fqdn:<name>)");
    }

    @Override
    public int compareTo(VipEntry other) {
        return ORDER.compare(this, other);
    }
}
