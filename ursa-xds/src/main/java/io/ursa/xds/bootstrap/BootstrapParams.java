package io.ursa.xds.bootstrap;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * The control plane's side of a bootstrap (Kuma's {@code bootstrapServer.params} plus the DP server's certificate):
 * where Envoy finds the ADS server and how it checks it, and the admin defaults.
 *
 * @param xdsHost           the host Envoy dials for ADS; an IP literal gives a STATIC {@code ads_cluster}, a name
 *                          a STRICT_DNS one; also the TLS SNI and the SAN Envoy expects
 * @param xdsPort           the DP server port (Kuma: 5678)
 * @param serverCaCert      PEM that signs the DP server's certificate; used when the request has no {@code caCert}.
 *                          Empty means the DP server speaks plaintext: the {@code ads_cluster} then has no TLS
 *                          transport socket and there is no {@code cp_validation_ctx}
 * @param adminAddress      where Envoy's admin listens (Kuma: {@code 127.0.0.1})
 * @param defaultAdminPort  admin port when the Dataplane sets none; 0 turns the admin off (Kuma: 9901)
 * @param xdsConnectTimeout {@code connectTimeout} of the static clusters (Kuma: 1s)
 */
public record BootstrapParams(
        String xdsHost,
        int xdsPort,
        String serverCaCert,
        String adminAddress,
        int defaultAdminPort,
        Duration xdsConnectTimeout) {

    public static final String DEFAULT_ADMIN_ADDRESS = "127.0.0.1";
    public static final int DEFAULT_ADMIN_PORT = 9901;
    public static final Duration DEFAULT_XDS_CONNECT_TIMEOUT = Duration.ofSeconds(1);

    public BootstrapParams {
        requireNonNull(xdsHost, "xdsHost");
        if (xdsHost.isEmpty()) {
            throw new IllegalArgumentException("invalid xdsHost: \"\" (expected: an IP address or host name)");
        }
        if (xdsPort < 1 || xdsPort > 65535) {
            throw new IllegalArgumentException("invalid xdsPort: " + xdsPort + " (expected: 1-65535)");
        }
        requireNonNull(serverCaCert, "serverCaCert");
        requireNonNull(adminAddress, "adminAddress");
        if (adminAddress.isEmpty()) {
            throw new IllegalArgumentException("invalid adminAddress: \"\" (expected: an IP address)");
        }
        if (defaultAdminPort < 0 || defaultAdminPort > 65535) {
            throw new IllegalArgumentException("invalid defaultAdminPort: " + defaultAdminPort
                    + " (expected: 0-65535, 0 = no admin)");
        }
        requireNonNull(xdsConnectTimeout, "xdsConnectTimeout");
        if (xdsConnectTimeout.isNegative() || xdsConnectTimeout.isZero()) {
            throw new IllegalArgumentException("invalid xdsConnectTimeout: " + xdsConnectTimeout
                    + " (expected: > 0)");
        }
    }

    /** Kuma's defaults: admin on {@code 127.0.0.1:9901}, 1s connect timeout. */
    public static BootstrapParams of(String xdsHost, int xdsPort, String serverCaCert) {
        return new BootstrapParams(xdsHost, xdsPort, serverCaCert, DEFAULT_ADMIN_ADDRESS, DEFAULT_ADMIN_PORT,
                DEFAULT_XDS_CONNECT_TIMEOUT);
    }

    /** Whether Envoy must reach the DP server over TLS. */
    public boolean adsOverTls() {
        return !serverCaCert.isEmpty();
    }

    /** The same, with another admin port default. */
    public BootstrapParams withDefaultAdminPort(int port) {
        return new BootstrapParams(xdsHost, xdsPort, serverCaCert, adminAddress, port, xdsConnectTimeout);
    }
}
