package io.ursa.apiserver;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * How the REST API listens and behaves; bound 1:1 from the {@code apiServer.*} configuration keys.
 *
 * @param host               interface to bind, e.g. {@code 0.0.0.0}
 * @param port               port to bind; 0 picks a free one ({@link ApiServer#port()} tells which)
 * @param readOnly           when true, every PUT and DELETE answers 405 (Kuma's {@code apiServer.readOnly})
 * @param maxBodyBytes       largest request body accepted; larger ones get 413
 * @param corsAllowedOrigins origins allowed by CORS, {@code *} for any; empty turns CORS off
 * @param localhostIsAdmin   when true, requests from a loopback address are the admin user and may touch
 *                           admin-only types (Secret); when false nobody is admin
 */
public record ApiServerConfig(String host, int port, boolean readOnly, long maxBodyBytes,
                              List<String> corsAllowedOrigins, boolean localhostIsAdmin) {
    /** Kuma's limit for a request body: 1 MiB. */
    public static final long DEFAULT_MAX_BODY_BYTES = 1 << 20;
    public static final int DEFAULT_PORT = 5681;

    public ApiServerConfig {
        requireNonNull(host, "host");
        corsAllowedOrigins = List.copyOf(requireNonNull(corsAllowedOrigins, "corsAllowedOrigins"));
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("invalid port: " + port + " (expected: 0-65535)");
        }
        if (maxBodyBytes < 1 || maxBodyBytes > Integer.MAX_VALUE - 1) {
            throw new IllegalArgumentException("invalid maxBodyBytes: " + maxBodyBytes + " (expected: 1-"
                    + (Integer.MAX_VALUE - 1) + ")");
        }
    }

    /** Kuma's defaults: all interfaces, port 5681, writable, 1 MiB bodies, CORS for any origin, localhost is admin. */
    public static ApiServerConfig defaults() {
        return new ApiServerConfig("0.0.0.0", DEFAULT_PORT, false, DEFAULT_MAX_BODY_BYTES, List.of("*"), true);
    }

    /** The same configuration listening on {@code newHost:newPort}. */
    public ApiServerConfig withAddress(String newHost, int newPort) {
        return new ApiServerConfig(newHost, newPort, readOnly, maxBodyBytes, corsAllowedOrigins, localhostIsAdmin);
    }
}
