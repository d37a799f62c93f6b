package io.ursa.xds.context;

import static java.util.Objects.requireNonNull;

import java.util.OptionalInt;

/**
 * What a connected proxy says about itself beyond its Dataplane: which kind of data plane it is, where its
 * Envoy admin listens (node metadata {@code dataplane.admin.port} / {@code dataplane.admin.address}, envoy-config
 * §1.3) and where its agent's DNS server sends names to Envoy ({@code dataplane.dns.port}) and what it forwards
 * the rest to ({@code dataplane.dns.empty.port}). Generators that need the admin port (admin, Prometheus) or both
 * DNS ports (the {@code kuma:dns} listener) emit nothing when they are absent, as Kuma does.
 *
 * @param kind         Envoy sidecar or proxyless gRPC application
 * @param adminPort    the Envoy admin port, when the proxy reported one
 * @param adminAddress the Envoy admin address ({@code 127.0.0.1} unless reported otherwise)
 * @param dnsPort      the port of Envoy's DNS listener, when the proxy reported one (kuma-dp's default 15054)
 * @param emptyDnsPort the port of the agent's empty DNS server, when reported (kuma-dp's default 15055)
 */
public record ProxyMetadata(ProxyKind kind, OptionalInt adminPort, String adminAddress, OptionalInt dnsPort,
                            OptionalInt emptyDnsPort) {
    public static final String DEFAULT_ADMIN_ADDRESS = "127.0.0.1";

    public ProxyMetadata {
        requireNonNull(kind, "kind");
        requireNonNull(adminPort, "adminPort");
        requireNonNull(adminAddress, "adminAddress");
        requireNonNull(dnsPort, "dnsPort");
        requireNonNull(emptyDnsPort, "emptyDnsPort");
        checkPort("adminPort", adminPort);
        checkPort("dnsPort", dnsPort);
        checkPort("emptyDnsPort", emptyDnsPort);
    }

    /** A proxy that reported no DNS ports. */
    public ProxyMetadata(ProxyKind kind, OptionalInt adminPort, String adminAddress) {
        this(kind, adminPort, adminAddress, OptionalInt.empty(), OptionalInt.empty());
    }

    /** The same proxy, reporting Envoy's DNS port {@code dnsPort} and the empty DNS port {@code emptyDnsPort}. */
    public ProxyMetadata withDnsPorts(int dnsPort, int emptyDnsPort) {
        return new ProxyMetadata(kind, adminPort, adminAddress, OptionalInt.of(dnsPort), OptionalInt.of(emptyDnsPort));
    }

    private static void checkPort(String field, OptionalInt port) {
        if (port.isPresent() && (port.getAsInt() < 1 || port.getAsInt() > 65535)) {
            throw new IllegalArgumentException("invalid " + field + ": " + port.getAsInt() + " (expected: 1-65535)");
        }
    }

    /** An Envoy sidecar that reported no admin port. */
    public static ProxyMetadata envoy() {
        return new ProxyMetadata(ProxyKind.ENVOY, OptionalInt.empty(), DEFAULT_ADMIN_ADDRESS);
    }

    /** An Envoy sidecar whose admin listens on {@code 127.0.0.1:adminPort}. */
    public static ProxyMetadata envoy(int adminPort) {
        return new ProxyMetadata(ProxyKind.ENVOY, OptionalInt.of(adminPort), DEFAULT_ADMIN_ADDRESS);
    }

    /** A proxyless gRPC application ({@code io.grpc:grpc-xds}); it has no Envoy admin. */
    public static ProxyMetadata grpc() {
        return new ProxyMetadata(ProxyKind.GRPC, OptionalInt.empty(), DEFAULT_ADMIN_ADDRESS);
    }
}
