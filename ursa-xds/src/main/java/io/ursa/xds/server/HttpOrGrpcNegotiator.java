package io.ursa.xds.server;

import static java.util.Objects.requireNonNull;

import io.grpc.netty.shaded.io.grpc.netty.GrpcHttp2ConnectionHandler;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiationEvent;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiator;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiators;
import io.grpc.netty.shaded.io.grpc.netty.ProtocolNegotiationEvent;
import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandler;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.handler.codec.ByteToMessageDecoder;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpObjectAggregator;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpServerCodec;
import io.grpc.netty.shaded.io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/**
 * Lets one port carry both gRPC (HTTP/2 with prior knowledge: Envoy's and grpc-java's ADS streams) and plain
 * HTTP/1.1 ({@code POST /bootstrap} from {@code ursa-dp}), as Kuma's DP server does on 5678.
 *
 * <p>Each new connection starts with a sniffer that reads the first bytes. The HTTP/2 connection preface begins
 * with {@code PRI}; no HTTP/1.1 method does. On {@code PRI} the connection is handed to gRPC's own plaintext
 * negotiation, unchanged; otherwise gRPC's handler is never installed and the connection gets an HTTP/1.1 codec
 * and {@code http}'s handler instead. This hooks in through grpc-netty's {@code Internal*} negotiation API, the
 * same one grpc-xds uses for its server credentials; {@code DpServerTest} pins its behaviour for the grpc version
 * we build with.
 */
final class HttpOrGrpcNegotiator implements InternalProtocolNegotiator.ProtocolNegotiator {
    private static final byte[] HTTP2_PREFACE_START = "PRI".getBytes(StandardCharsets.US_ASCII);

    private final InternalProtocolNegotiator.ProtocolNegotiator grpcPlaintext =
            InternalProtocolNegotiators.serverPlaintext();
    private final Supplier<ChannelHandler> http;
    private final int maxHttpBodyBytes;

    /**
     * @param http             a new handler of aggregated HTTP/1.1 requests, one per connection
     * @param maxHttpBodyBytes the largest HTTP/1.1 body accepted; larger ones get 413
     */
    HttpOrGrpcNegotiator(Supplier<ChannelHandler> http, int maxHttpBodyBytes) {
        this.http = requireNonNull(http, "http");
        this.maxHttpBodyBytes = maxHttpBodyBytes;
    }

    @Override
    public AsciiString scheme() {
        return grpcPlaintext.scheme();
    }

    @Override
    public ChannelHandler newHandler(GrpcHttp2ConnectionHandler grpcHandler) {
        return new Sniffer(grpcPlaintext.newHandler(grpcHandler));
    }

    @Override
    public void close() {
        grpcPlaintext.close();
    }

    /** Decides the protocol of one connection from its first bytes, then removes itself. */
    private final class Sniffer extends ByteToMessageDecoder {
        private final ChannelHandler grpcNegotiation;
        private ProtocolNegotiationEvent negotiationEvent;

        Sniffer(ChannelHandler grpcNegotiation) {
            this.grpcNegotiation = grpcNegotiation;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof ProtocolNegotiationEvent pne) {
                // Held until the protocol is known: only gRPC's negotiation may see it.
                negotiationEvent = pne;
                return;
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            int known = Math.min(in.readableBytes(), HTTP2_PREFACE_START.length);
            boolean prefaceSoFar = true;
            for (int i = 0; i < known && prefaceSoFar; i++) {
                prefaceSoFar = in.getByte(in.readerIndex() + i) == HTTP2_PREFACE_START[i];
            }
            if (prefaceSoFar && known < HTTP2_PREFACE_START.length) {
                return; // wait for more bytes
            }
            if (prefaceSoFar) {
                ctx.pipeline().addAfter(ctx.name(), null, grpcNegotiation);
                ctx.fireUserEventTriggered(negotiationEvent != null
                        ? negotiationEvent : InternalProtocolNegotiationEvent.getDefault());
            } else {
                String codec = ctx.name() + "-http1";
                String aggregator = ctx.name() + "-http1-aggregator";
                ctx.pipeline().addAfter(ctx.name(), codec, new HttpServerCodec());
                ctx.pipeline().addAfter(codec, aggregator, new HttpObjectAggregator(maxHttpBodyBytes));
                ctx.pipeline().addAfter(aggregator, null, http.get());
            }
            // Removing a ByteToMessageDecoder passes the bytes it holds to the handler now after it.
            ctx.pipeline().remove(this);
        }
    }
}
