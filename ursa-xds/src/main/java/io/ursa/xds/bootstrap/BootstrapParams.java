package io.ursa.xds.bootstrap;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The control plane's side of a bootstrap (Kuma's {@code bootstrapServer.params} plus the DP server's certificate):
 * where Envoy finds the ADS server and how it checks it, and the admin defaults.
 *
 * @param xdsHost           the host Envoy dials for ADS; an IP literal gives a STATIC {@code ads_cluster}, a name
 *                          a STRICT_DNS one (with {@code moreXdsAddresses}: STATIC only when all are IPs); also the
 *                          TLS SNI and a SAN Envoy accepts
 * @param xdsPort           the DP server port (Kuma: 5678)
 * @param serverCaCert      PEM that signs the DP server's certificate; used when the request has no {@code caCert}.
 *                          Empty means the DP server speaks plaintext: the {@code ads_cluster} then has no TLS
 *                          transport socket and there is no {@code cp_validation_ctx}
 * @param adminAddress      where Envoy's admin listens (Kuma: {@code 127.0.0.1})
 * @param defaultAdminPort  admin port when the Dataplane sets none; 0 turns the admin off (Kuma: 9901)
 * @param xdsConnectTimeout {@code connectTimeout} of the static clusters (Kuma: 1s)
 * @param moreXdsAddresses  the other instances of the control plane, which the {@code ads_cluster} lists after
 *                          {@code xdsHost:xdsPort} (each with its port); empty for one instance
 * @param adsProtocol       the ADS variant Envoy speaks when the agent does not ask for one
 *                          ({@code bootstrapServer.params.xdsProtocol})
 */
public record BootstrapParams(
        String xdsHost,
        int xdsPort,
        String serverCaCert,
        String adminAddress,
        int defaultAdminPort,
        Duration xdsConnectTimeout,
        List<XdsAddress> moreXdsAddresses,
        AdsProtocol adsProtocol) {

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
        moreXdsAddresses = List.copyOf(requireNonNull(moreXdsAddresses, "moreXdsAddresses"));
        for (XdsAddress address : moreXdsAddresses) {
            if (address.port() == 0) {
                throw new IllegalArgumentException("invalid moreXdsAddresses: " + address.host()
                        + " has no port (expected: each with its port)");
            }
        }
        requireNonNull(adsProtocol, "adsProtocol");
    }

    /** Parameters of one control-plane instance, state-of-the-world ADS. */
    public BootstrapParams(String xdsHost, int xdsPort, String serverCaCert, String adminAddress,
                           int defaultAdminPort, Duration xdsConnectTimeout) {
        this(xdsHost, xdsPort, serverCaCert, adminAddress, defaultAdminPort, xdsConnectTimeout, List.of(),
                AdsProtocol.SOTW);
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
        return new BootstrapParams(xdsHost, xdsPort, serverCaCert, adminAddress, port, xdsConnectTimeout,
                moreXdsAddresses, adsProtocol);
    }

    /** The same, with another default ADS variant. */
    public BootstrapParams withAdsProtocol(AdsProtocol protocol) {
        return new BootstrapParams(xdsHost, xdsPort, serverCaCert, adminAddress, defaultAdminPort,
                xdsConnectTimeout, moreXdsAddresses, protocol);
    }

    /**
     * The same, with every control-plane instance the agent was given ({@link BootstrapRequest#controlPlaneAddresses})
     * besides {@code xdsHost:xdsPort}; an address without a port gets {@code xdsPort} (the instances of one control
     * plane listen alike). Duplicates, and the instance already named, are dropped.
     */
    public BootstrapParams withControlPlaneAddresses(List<XdsAddress> addresses) {
        Set<XdsAddress> more = new LinkedHashSet<>(moreXdsAddresses);
        XdsAddress primary = new XdsAddress(xdsHost, xdsPort);
        for (XdsAddress address : addresses) {
            XdsAddress withPort = address.withDefaultPort(xdsPort);
            if (!withPort.equals(primary)) {
                more.add(withPort);
            }
        }
        return new BootstrapParams(xdsHost, xdsPort, serverCaCert, adminAddress, defaultAdminPort,
                xdsConnectTimeout, List.copyOf(more), adsProtocol);
    }

    /** Every address Envoy dials for ADS: {@code xdsHost:xdsPort} first, then the other instances. */
    public List<XdsAddress> xdsAddresses() {
        Set<XdsAddress> all = new LinkedHashSet<>();
        all.add(new XdsAddress(xdsHost, xdsPort));
        all.addAll(moreXdsAddresses);
        return List.copyOf(all);
    }
}
