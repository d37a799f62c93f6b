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
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslHandler;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.grpc.netty.shaded.io.netty.util.AsciiString;
import io.grpc.netty.shaded.io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets one port carry both gRPC (HTTP/2 with prior knowledge: Envoy's and grpc-java's ADS streams) and plain
 * HTTP/1.1 ({@code POST /bootstrap} from {@code ursa-dp}), over TLS or, when asked, in plaintext, as Kuma's DP
 * server does on 5678.
 *
 * <p>Each new connection starts with a sniffer that reads its first bytes:
 * <ul>
 *   <li>{@code 0x16} (a TLS handshake record): on a TLS port an {@code SslHandler} is put in front (handshake
 *       timeout: the header timeout) and a second sniffer after it reads the decrypted bytes; on a plaintext port
 *       the client is told so ({@link WrongScheme.TlsOnPlaintextPort}).</li>
 *   <li>{@code PRI} (the HTTP/2 connection preface; no HTTP/1.1 method starts so): gRPC's own negotiation takes the
 *       connection, with the TLS session in the call attributes over TLS ({@link TlsNegotiated}); in plaintext on a
 *       TLS port, {@link WrongScheme.PlaintextHttp2OnTlsPort}.</li>
 *   <li>anything else: an HTTP/1.1 codec, {@link Http1Timeouts} and {@code http}'s handler; in plaintext on a TLS
 *       port, {@link WrongScheme.PlaintextHttpOnTlsPort}.</li>
 * </ul>
 * The decision does not depend on ALPN, so clients that send none work. A connection that sends nothing decisive
 * within the header timeout is closed. This hooks in through grpc-netty's {@code Internal*} negotiation API, the
 * same one grpc-xds uses for its server credentials; {@code DpServerTest} pins its behaviour for the grpc version we
 * build with. Each sniffer's state belongs to its connection's event loop.
 */
final class HttpOrGrpcNegotiator implements InternalProtocolNegotiator.ProtocolNegotiator {
    private static final Logger log = LoggerFactory.getLogger(HttpOrGrpcNegotiator.class);
    private static final byte[] HTTP2_PREFACE_START = "PRI".getBytes(StandardCharsets.US_ASCII);
    private static final byte TLS_HANDSHAKE_RECORD = 0x16;
    private static final AsciiString HTTPS = AsciiString.of("https");

    /** Which bytes a sniffer reads. */
    private enum Layer {
        /** The raw bytes of a plaintext port. */
        PLAINTEXT_PORT,
        /** The raw bytes of a TLS port, before any handshake. */
        TLS_PORT,
        /** The decrypted bytes of a TLS connection. */
        INSIDE_TLS
    }

    private final InternalProtocolNegotiator.ProtocolNegotiator grpcPlaintext =
            InternalProtocolNegotiators.serverPlaintext();
    private final Supplier<ChannelHandler> http;
    private final int maxHttpBodyBytes;
    private final Optional<SslContext> tls;
    private final HttpTimeouts timeouts;

    /**
     * @param http             a new handler of aggregated HTTP/1.1 requests, one per connection
     * @param maxHttpBodyBytes the largest HTTP/1.1 body accepted; larger ones get 413
     * @param tls              the server's TLS context; empty for a plaintext port
     * @param timeouts         how long to wait for the first bytes, the handshake and HTTP/1.1 requests
     */
    HttpOrGrpcNegotiator(Supplier<ChannelHandler> http, int maxHttpBodyBytes, Optional<SslContext> tls,
                         HttpTimeouts timeouts) {
        this.http = requireNonNull(http, "http");
        this.maxHttpBodyBytes = maxHttpBodyBytes;
        this.tls = requireNonNull(tls, "tls");
        this.timeouts = requireNonNull(timeouts, "timeouts");
    }

    @Override
    public AsciiString scheme() {
        return tls.isPresent() ? HTTPS : grpcPlaintext.scheme();
    }

    @Override
    public ChannelHandler newHandler(GrpcHttp2ConnectionHandler grpcHandler) {
        return new Sniffer(grpcHandler, tls.isPresent() ? Layer.TLS_PORT : Layer.PLAINTEXT_PORT, Optional.empty());
    }

    @Override
    public void close() {
        grpcPlaintext.close();
    }

    /** Decides what one connection (or, inside TLS, its decrypted stream) speaks, then removes itself. */
    private final class Sniffer extends ByteToMessageDecoder {
        private final GrpcHttp2ConnectionHandler grpcHandler;
        private final Layer layer;
        /** Held until the protocol is known: only gRPC's negotiation may see it. */
        private Optional<ProtocolNegotiationEvent> negotiationEvent;
        private ScheduledFuture<?> deadline;

        Sniffer(GrpcHttp2ConnectionHandler grpcHandler, Layer layer, Optional<ProtocolNegotiationEvent> event) {
            this.grpcHandler = grpcHandler;
            this.layer = layer;
            this.negotiationEvent = event;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            if (layer != Layer.INSIDE_TLS) {
                armDeadline(ctx); // inside TLS: once the handshake (which has its own timeout) is done
            }
        }

        @Override
        protected void handlerRemoved0(ChannelHandlerContext ctx) {
            if (deadline != null) {
                deadline.cancel(false);
            }
        }

        private void armDeadline(ChannelHandlerContext ctx) {
            deadline = ctx.executor().schedule(() -> {
                log.debug("closing the DP server connection from {}: nothing that names a protocol arrived"
                        + " within {}", ctx.channel().remoteAddress(), timeouts.header());
                ctx.close();
            }, timeouts.header().toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof ProtocolNegotiationEvent pne) {
                negotiationEvent = Optional.of(pne);
                return;
            }
            if (event instanceof SslHandshakeCompletionEvent handshake) {
                if (handshake.isSuccess()) {
                    armDeadline(ctx);
                } else {
                    log.debug("TLS handshake with {} failed: {}", ctx.channel().remoteAddress(),
                            handshake.cause().toString());
                    ctx.close();
                }
                return;
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("DP server connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            if (!in.isReadable()) {
                return;
            }
            if (layer != Layer.INSIDE_TLS && in.getByte(in.readerIndex()) == TLS_HANDSHAKE_RECORD) {
                if (layer == Layer.TLS_PORT) {
                    startTls(ctx);
                } else {
                    ctx.pipeline().addAfter(ctx.name(), null, new WrongScheme.TlsOnPlaintextPort(timeouts.header()));
                }
                ctx.pipeline().remove(this);
                return;
            }
            int known = Math.min(in.readableBytes(), HTTP2_PREFACE_START.length);
            boolean prefaceSoFar = true;
            for (int i = 0; i < known && prefaceSoFar; i++) {
                prefaceSoFar = in.getByte(in.readerIndex() + i) == HTTP2_PREFACE_START[i];
            }
            if (prefaceSoFar && known < HTTP2_PREFACE_START.length) {
                return; // wait for more bytes
            }
            if (layer == Layer.TLS_PORT) {
                refusePlaintext(ctx, prefaceSoFar);
            } else if (prefaceSoFar) {
                grpc(ctx);
            } else {
                http1(ctx);
            }
            // Removing a ByteToMessageDecoder passes the bytes it holds to the handler now after it.
            ctx.pipeline().remove(this);
        }

        private void startTls(ChannelHandlerContext ctx) {
            SslHandler ssl = tls.orElseThrow().newHandler(ctx.alloc());
            ssl.setHandshakeTimeoutMillis(timeouts.header().toMillis());
            String sslName = ctx.name() + "-tls";
            ctx.pipeline().addAfter(ctx.name(), sslName, ssl);
            ctx.pipeline().addAfter(sslName, null, new Sniffer(grpcHandler, Layer.INSIDE_TLS, negotiationEvent));
        }

        private void grpc(ChannelHandlerContext ctx) {
            ChannelHandler negotiation;
            if (layer == Layer.INSIDE_TLS) {
                SslHandler ssl = ctx.pipeline().get(SslHandler.class);
                negotiation = InternalProtocolNegotiators.waitUntilActiveHandler(
                        new TlsNegotiated(InternalProtocolNegotiators.grpcNegotiationHandler(grpcHandler),
                                ssl.engine().getSession()),
                        grpcHandler.getNegotiationLogger());
            } else {
                negotiation = grpcPlaintext.newHandler(grpcHandler);
            }
            ctx.pipeline().addAfter(ctx.name(), null, negotiation);
            ctx.fireUserEventTriggered(negotiationEvent.orElseGet(InternalProtocolNegotiationEvent::getDefault));
        }

        private void http1(ChannelHandlerContext ctx) {
            Http1Timeouts deadlines = new Http1Timeouts(timeouts);
            String bytes = ctx.name() + "-http1-bytes";
            String codec = ctx.name() + "-http1";
            String deadlinesName = ctx.name() + "-http1-timeouts";
            String aggregator = ctx.name() + "-http1-aggregator";
            ctx.pipeline().addAfter(ctx.name(), bytes, deadlines.bytes());
            ctx.pipeline().addAfter(bytes, codec, new HttpServerCodec());
            ctx.pipeline().addAfter(codec, deadlinesName, deadlines);
            ctx.pipeline().addAfter(deadlinesName, aggregator, new HttpObjectAggregator(maxHttpBodyBytes));
            ctx.pipeline().addAfter(aggregator, null, http.get());
        }

        private void refusePlaintext(ChannelHandlerContext ctx, boolean http2) {
            if (http2) {
                ctx.pipeline().addAfter(ctx.name(), null, new WrongScheme.PlaintextHttp2OnTlsPort(timeouts.header()));
            } else {
                String codec = ctx.name() + "-http1";
                ctx.pipeline().addAfter(ctx.name(), codec, new HttpServerCodec());
                ctx.pipeline().addAfter(codec, null, new WrongScheme.PlaintextHttpOnTlsPort(timeouts.header()));
            }
        }
    }
}
