package io.ursa.xds.server;

import static java.util.Objects.requireNonNull;

import io.grpc.Attributes;
import io.grpc.Grpc;
import io.grpc.InternalChannelz;
import io.grpc.SecurityLevel;
import io.grpc.internal.GrpcAttributes;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiationEvent;
import io.grpc.netty.shaded.io.grpc.netty.ProtocolNegotiationEvent;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandler;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import javax.net.ssl.SSLSession;

/**
 * Tells gRPC that a connection is TLS: adds the TLS session ({@link Grpc#TRANSPORT_ATTR_SSL_SESSION}) and the
 * security level PRIVACY_AND_INTEGRITY to the protocol negotiation event, and the session to channelz, then gives
 * way to {@code next}. This is what grpc-netty's own server TLS negotiation does once its handshake is done; ours
 * cannot be used as it is because it refuses clients that negotiate no ALPN {@code h2}, and {@code /bootstrap}
 * shares the port. ({@code GrpcAttributes} is grpc-core's internal key, as grpc-netty uses it.)
 */
final class TlsNegotiated extends ChannelInboundHandlerAdapter {
    private final ChannelHandler next;
    private final SSLSession session;

    TlsNegotiated(ChannelHandler next, SSLSession session) {
        this.next = requireNonNull(next, "next");
        this.session = requireNonNull(session, "session");
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (!(event instanceof ProtocolNegotiationEvent pne)) {
            super.userEventTriggered(ctx, event);
            return;
        }
        Attributes attributes = InternalProtocolNegotiationEvent.getAttributes(pne).toBuilder()
                .set(GrpcAttributes.ATTR_SECURITY_LEVEL, SecurityLevel.PRIVACY_AND_INTEGRITY)
                .set(Grpc.TRANSPORT_ATTR_SSL_SESSION, session)
                .build();
        ProtocolNegotiationEvent secured = InternalProtocolNegotiationEvent.withSecurity(
                InternalProtocolNegotiationEvent.withAttributes(pne, attributes),
                new InternalChannelz.Security(new InternalChannelz.Tls(session)));
        ctx.pipeline().replace(ctx.name(), null, next);
        ctx.fireUserEventTriggered(secured);
    }
}
