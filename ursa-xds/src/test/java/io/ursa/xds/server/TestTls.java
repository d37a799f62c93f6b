package io.ursa.xds.server;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.ursa.ca.CaPlugins;
import io.ursa.ca.controlplane.ControlPlaneCertificates;
import io.ursa.core.manager.ResourceManager;
import io.ursa.core.store.MemoryResourceStore;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for DP server tests: the control plane's own material, made by the real {@link ControlPlaneCertificates} on
 * a memory store for {@code localhost}, {@code 127.0.0.1} and {@code ::1}, and clients (grpc-java, the JDK's
 * {@code HttpClient}) that trust a given CA.
 */
final class TestTls {
    /** The server's material, and a second, unrelated one whose CA a client may wrongly trust. */
    static final ControlPlaneCertificates.Material MATERIAL = material();
    static final ControlPlaneCertificates.Material OTHER = material();

    private TestTls() {
    }

    private static ControlPlaneCertificates.Material material() {
        ResourceManager manager = ResourceManager.create(new MemoryResourceStore(), Clock.systemUTC(),
                CaPlugins.standard());
        return new ControlPlaneCertificates(manager, Clock.systemUTC(), new SecureRandom())
                .own(List.of("localhost", "127.0.0.1", "::1"));
    }

    static DpTransport transport() {
        return DpTransport.tls(MATERIAL, DpTransport.MinVersion.TLS_1_2);
    }

    /** XdsServer settings for tests: no authentication, admin 9901, 30s resync, the given transport. */
    static XdsServerConfig config(DpTransport transport, Duration deregistrationDelay, Duration resyncInterval,
                                  Duration nackBackoff) {
        return new XdsServerConfig("127.0.0.1", 0, Optional.empty(), XdsServerConfig.Auth.NONE, 9901,
                deregistrationDelay, resyncInterval, nackBackoff,
                io.ursa.ca.DataplaneCertificateIssuer.KeyType.ECDSA_P256, Runtime.getRuntime().availableProcessors(),
                transport, HttpTimeouts.DEFAULTS, 0, io.ursa.xds.bootstrap.AdsProtocol.SOTW);
    }

    /** A gRPC channel to {@code 127.0.0.1:port} over TLS that trusts {@code caPem}. */
    static ManagedChannel channel(int port, String caPem) {
        try {
            return NettyChannelBuilder.forAddress("127.0.0.1", port)
                    .sslContext(GrpcSslContexts.forClient().trustManager(
                            new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII))).build())
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An SSL context that trusts {@code caPem} only. */
    static SSLContext trusting(String caPem) {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(
                    new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII))));
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), new SecureRandom());
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
