package io.ursa.xds.context;

import static java.util.Objects.requireNonNull;

import java.util.OptionalInt;

/**
 * What a connected proxy says about itself beyond its Dataplane: which kind of data plane it is and where its
 * Envoy admin listens (node metadata {@code dataplane.admin.port} / {@code dataplane.admin.address}, envoy-config
 * §1.3). Generators that need the admin port (admin, Prometheus) emit nothing when it is absent, as Kuma does.
 *
 * @param kind         Envoy sidecar or proxyless gRPC application
 * @param adminPort    the Envoy admin port, when the proxy reported one
 * @param adminAddress the Envoy admin address ({@code 127.0.0.1} unless reported otherwise)
 */
public record ProxyMetadata(ProxyKind kind, OptionalInt adminPort, String adminAddress) {
    public static final String DEFAULT_ADMIN_ADDRESS = "127.0.0.1";

    public ProxyMetadata {
        requireNonNull(kind, "kind");
        requireNonNull(adminPort, "adminPort");
        requireNonNull(adminAddress, "adminAddress");
        if (adminPort.isPresent() && (adminPort.getAsInt() < 1 || adminPort.getAsInt() > 65535)) {
            throw new IllegalArgumentException("invalid adminPort: " + adminPort.getAsInt() + " (expected: 1-65535)");
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
