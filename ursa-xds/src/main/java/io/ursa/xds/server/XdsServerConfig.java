package io.ursa.xds.server;

import static java.util.Objects.requireNonNull;

import io.ursa.ca.DataplaneCertificateIssuer;
import io.ursa.xds.bootstrap.AdsProtocol;
import java.time.Duration;
import java.util.Optional;

/**
 * How the DP server runs (Kuma's {@code dpServer}, {@code xdsServer} and {@code bootstrapServer} settings).
 *
 * @param iface               the interface to bind
 * @param port                the DP server port (Kuma: 5678); 0 picks a free one
 * @param xdsHost             the ADS host written into bootstraps; empty means the host the agent dialled
 * @param auth                how proxies authenticate
 * @param defaultAdminPort    the Envoy admin port when the Dataplane sets none (Kuma: 9901)
 * @param deregistrationDelay how long a Dataplane registered by its proxy outlives the proxy's disconnect (10s)
 * @param resyncInterval      how often every connected proxy's configuration is recomputed from the store
 * @param nackBackoff         how long the answer to a rejection (NACK) waits, so a proxy that keeps rejecting a
 *                            configuration is not sent it in a tight loop (Kuma: 5s); zero answers at once
 * @param certificateKeyType  the key algorithm of proxy identity certificates (ECDSA P-256 unless RSA is asked for)
 * @param generationThreads   how many threads generate and push configuration during a large pass (at least 1)
 * @param transport           TLS with a certificate, or plaintext ({@code dpServer.plaintext})
 * @param httpTimeouts        how long the DP server waits for slow or silent clients ({@code general.http.*})
 * @param maxStreamsPerClient how many gRPC streams one client address may have open at once; 0 = no limit
 * @param adsProtocol         the ADS variant bootstraps give Envoy unless the agent asks for one
 *                            ({@code bootstrapServer.params.xdsProtocol}); the DP server serves both
 */
public record XdsServerConfig(String iface, int port, Optional<String> xdsHost, Auth auth, int defaultAdminPort,
                              Duration deregistrationDelay, Duration resyncInterval, Duration nackBackoff,
                              DataplaneCertificateIssuer.KeyType certificateKeyType, int generationThreads,
                              DpTransport transport, HttpTimeouts httpTimeouts, int maxStreamsPerClient,
                              AdsProtocol adsProtocol) {

    /** {@code dpServer.auth.type}. */
    public enum Auth {
        /** Every proxy must present a dataplane token of its mesh (Kuma's default on Universal). */
        DP_TOKEN,
        /** Proxies are not authenticated; for trusted networks and tests. */
        NONE
    }

    public XdsServerConfig {
        requireNonNull(iface, "iface");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("invalid port: " + port + " (expected: 0-65535)");
        }
        requireNonNull(xdsHost, "xdsHost");
        requireNonNull(auth, "auth");
        if (defaultAdminPort < 0 || defaultAdminPort > 65535) {
            throw new IllegalArgumentException("invalid defaultAdminPort: " + defaultAdminPort
                    + " (expected: 0-65535)");
        }
        requireNonNull(deregistrationDelay, "deregistrationDelay");
        if (deregistrationDelay.isNegative()) {
            throw new IllegalArgumentException("invalid deregistrationDelay: " + deregistrationDelay
                    + " (expected: >= 0)");
        }
        requireNonNull(resyncInterval, "resyncInterval");
        if (resyncInterval.isNegative() || resyncInterval.isZero()) {
            throw new IllegalArgumentException("invalid resyncInterval: " + resyncInterval + " (expected: > 0)");
        }
        requireNonNull(certificateKeyType, "certificateKeyType");
        if (generationThreads < 1) {
            throw new IllegalArgumentException("invalid generationThreads: " + generationThreads
                    + " (expected: at least 1)");
        }
        requireNonNull(nackBackoff, "nackBackoff");
        if (nackBackoff.isNegative()) {
            throw new IllegalArgumentException("invalid nackBackoff: " + nackBackoff + " (expected: >= 0)");
        }
        requireNonNull(transport, "transport");
        requireNonNull(httpTimeouts, "httpTimeouts");
        if (maxStreamsPerClient < 0) {
            throw new IllegalArgumentException("invalid maxStreamsPerClient: " + maxStreamsPerClient
                    + " (expected: 0 for no limit, or a positive number)");
        }
        requireNonNull(adsProtocol, "adsProtocol");
    }

    /** What the DP server itself needs. */
    DpServer.Settings dpServerSettings() {
        return new DpServer.Settings(iface, port, transport, httpTimeouts, maxStreamsPerClient);
    }
}
