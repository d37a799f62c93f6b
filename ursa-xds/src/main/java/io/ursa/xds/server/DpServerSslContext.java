package io.ursa.xds.server;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ApplicationProtocolConfig;
import io.grpc.netty.shaded.io.netty.handler.ssl.ApplicationProtocolNames;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import javax.net.ssl.SSLException;

/**
 * The DP server's netty {@link SslContext}: grpc's TLS defaults ({@link GrpcSslContexts}: the OpenSSL provider
 * bundled with grpc-netty-shaded when it loads, HTTP/2's cipher suites), then ALPN offering {@code http/1.1} and
 * {@code h2}, in that order of preference: gRPC clients (grpc-java, grpc-go) offer {@code h2} alone and get it,
 * while clients that offer both (curl, the JDK's {@code HttpClient}) get HTTP/1.1, which is what serves
 * {@code /bootstrap} (an HTTP/2 request would reach the gRPC server). A client that offers neither, or sends no
 * ALPN at all (Envoy's {@code ads_cluster}), still completes the handshake with no protocol selected: the sniffer
 * decides from the decrypted bytes. No client certificate is asked for.
 */
final class DpServerSslContext {
    private DpServerSslContext() {
    }

    static SslContext of(DpTransport.Tls tls) {
        SslContextBuilder builder = GrpcSslContexts.configure(SslContextBuilder.forServer(
                tls.certificate().privateKey(), tls.certificate().certificateChain()));
        builder.applicationProtocolConfig(new ApplicationProtocolConfig(
                        ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_1_1, ApplicationProtocolNames.HTTP_2))
                .protocols(tls.minVersion().protocols())
                .clientAuth(ClientAuth.NONE);
        try {
            return builder.build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS for the DP server: " + e.getMessage(), e);
        }
    }
}
