package io.ursa.xds.server;

import static java.util.Objects.requireNonNull;

import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import io.grpc.netty.shaded.io.netty.handler.codec.ByteToMessageDecoder;
import io.grpc.netty.shaded.io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.FullHttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpHeaderNames;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpRequest;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpResponseStatus;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpUtil;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpVersion;
import io.grpc.netty.shaded.io.netty.util.ReferenceCountUtil;
import io.grpc.netty.shaded.io.netty.util.concurrent.ScheduledFuture;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The DP server's answers to a client that uses the wrong scheme, so that it fails at once with a message instead
 * of retrying or hanging. Each handler owns its connection from the moment the sniffer installs it: it answers,
 * discards whatever else the client sends, and closes ({@link LingeringClose}). All state belongs to the
 * connection's event loop.
 *
 * <ul>
 *   <li>{@link PlaintextHttpOnTlsPort}: a plaintext HTTP/1.1 request to the TLS port gets {@code 400} text/plain
 *       {@code this is the control plane's DP server and it requires TLS: use https://<host>:<port>}, the host
 *       being the request's {@code Host}.</li>
 *   <li>{@link PlaintextHttp2OnTlsPort}: a plaintext HTTP/2 client (gRPC) gets the server's SETTINGS (which an
 *       HTTP/2 client expects first), and once it has sent its first request HEADERS, a GOAWAY (last stream 0,
 *       error INADEQUATE_SECURITY) whose debug data says the same. The request then fails with that text; grpc-java
 *       reports {@code PERMISSION_DENIED: Abrupt GOAWAY closed sent stream. HTTP/2 error code: INADEQUATE_SECURITY
 *       (...), debug data: this is the control plane's DP server and it requires TLS: use https://...}. A client
 *       that sends no request within the header timeout gets the GOAWAY then.</li>
 *   <li>{@link TlsOnPlaintextPort}: a TLS ClientHello to the plaintext port gets a plaintext {@code HTTP/1.1 400},
 *       which no TLS client takes for a TLS record ("not an SSL/TLS record", "Unsupported or unrecognized SSL
 *       message").</li>
 * </ul>
 */
final class WrongScheme {
    /** HTTP/2 (RFC 9113): the client's preface, the frame header, and the frame types and error used here. */
    private static final int HTTP2_CLIENT_PREFACE_LENGTH = 24;
    private static final int HTTP2_FRAME_HEADER_LENGTH = 9;
    private static final int HTTP2_HEADERS = 0x1;
    private static final int HTTP2_SETTINGS = 0x4;
    private static final int HTTP2_GOAWAY = 0x7;
    private static final int HTTP2_INADEQUATE_SECURITY = 0xc;

    private WrongScheme() {
    }

    static String requiresTls(String hostPort) {
        return "this is the control plane's DP server and it requires TLS: use https://" + hostPort;
    }

    static String requiresPlaintext(String hostPort) {
        return "this is the control plane's DP server and it speaks plaintext, not TLS (dpServer.plaintext is"
                + " true): use http://" + hostPort;
    }

    /** {@code host:port} of the address the client connected to ({@code [v6]:port} for IPv6). */
    static String localHostPort(SocketAddress local) {
        if (local instanceof InetSocketAddress inet && inet.getAddress() != null) {
            String host = inet.getAddress().getHostAddress();
            int scope = host.indexOf('%');
            host = scope < 0 ? host : host.substring(0, scope);
            return (inet.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        return String.valueOf(local);
    }

    /** The request's {@code Host}, with the local port when it has none; the local address without one. */
    static String hostPort(String hostHeader, SocketAddress local) {
        String host = hostHeader == null ? "" : hostHeader.strip();
        if (host.isEmpty()) {
            return localHostPort(local);
        }
        boolean hasPort = host.startsWith("[") ? host.contains("]:") : host.indexOf(':') > 0
                && host.indexOf(':') == host.lastIndexOf(':');
        int port = local instanceof InetSocketAddress inet ? inet.getPort() : 0;
        return hasPort ? host : host + ":" + port;
    }

    /** After an {@code HttpServerCodec}: answers the first request, discards the rest, closes. */
    static final class PlaintextHttpOnTlsPort extends ChannelInboundHandlerAdapter {
        private final Duration timeout;
        private ScheduledFuture<?> deadline;
        private boolean answered;

        PlaintextHttpOnTlsPort(Duration timeout) {
            this.timeout = requireNonNull(timeout, "timeout");
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            deadline = ctx.executor().schedule(() -> {
                ctx.close();
            }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            deadline.cancel(false);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (answered || !(msg instanceof HttpRequest request)) {
                    return;
                }
                answered = true;
                deadline.cancel(false);
                byte[] body = requiresTls(hostPort(request.headers().get(HttpHeaderNames.HOST),
                        ctx.channel().localAddress())).getBytes(StandardCharsets.UTF_8);
                FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                        HttpResponseStatus.BAD_REQUEST, Unpooled.wrappedBuffer(body));
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpAnswer.TEXT);
                HttpUtil.setContentLength(response, body.length);
                HttpUtil.setKeepAlive(response, false);
                LingeringClose.after(ctx, ctx.writeAndFlush(response), timeout);
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }
    }

    /** Right after the sniffer, on the raw bytes that start with the HTTP/2 preface. */
    static final class PlaintextHttp2OnTlsPort extends ByteToMessageDecoder {
        private final Duration timeout;
        private ScheduledFuture<?> deadline;
        private boolean prefaceSkipped;
        private boolean refused;

        PlaintextHttp2OnTlsPort(Duration timeout) {
            this.timeout = requireNonNull(timeout, "timeout");
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            // An empty SETTINGS: the server's preface, which an HTTP/2 client waits for before it sends requests.
            ctx.writeAndFlush(frame(ctx, HTTP2_SETTINGS, Unpooled.EMPTY_BUFFER));
            deadline = ctx.executor().schedule(() -> refuse(ctx), timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        protected void handlerRemoved0(ChannelHandlerContext ctx) {
            deadline.cancel(false);
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            if (!refused && !prefaceSkipped) {
                if (in.readableBytes() < HTTP2_CLIENT_PREFACE_LENGTH) {
                    return;
                }
                in.skipBytes(HTTP2_CLIENT_PREFACE_LENGTH);
                prefaceSkipped = true;
            }
            while (!refused && in.readableBytes() >= HTTP2_FRAME_HEADER_LENGTH) {
                int length = in.getUnsignedMedium(in.readerIndex());
                int type = in.getUnsignedByte(in.readerIndex() + 3);
                if (type == HTTP2_HEADERS) {
                    refuse(ctx);
                } else if (in.readableBytes() >= HTTP2_FRAME_HEADER_LENGTH + length) {
                    in.skipBytes(HTTP2_FRAME_HEADER_LENGTH + length);
                } else {
                    return;
                }
            }
            if (refused) {
                in.skipBytes(in.readableBytes());
            }
        }

        private void refuse(ChannelHandlerContext ctx) {
            if (refused) {
                return;
            }
            refused = true;
            deadline.cancel(false);
            byte[] text = requiresTls(localHostPort(ctx.channel().localAddress())).getBytes(StandardCharsets.UTF_8);
            ByteBuf goAway = ctx.alloc().buffer(8 + text.length)
                    .writeInt(0) // last stream id: no request was processed
                    .writeInt(HTTP2_INADEQUATE_SECURITY)
                    .writeBytes(text);
            LingeringClose.after(ctx, ctx.writeAndFlush(frame(ctx, HTTP2_GOAWAY, goAway)), timeout);
        }

        /** A frame on stream 0 with no flags. */
        private static ByteBuf frame(ChannelHandlerContext ctx, int type, ByteBuf payload) {
            ByteBuf frame = ctx.alloc().buffer(HTTP2_FRAME_HEADER_LENGTH + payload.readableBytes())
                    .writeMedium(payload.readableBytes())
                    .writeByte(type)
                    .writeByte(0)
                    .writeInt(0)
                    .writeBytes(payload);
            payload.release();
            return frame;
        }
    }

    /** Right after the sniffer, on the raw bytes of a TLS ClientHello. */
    static final class TlsOnPlaintextPort extends ChannelInboundHandlerAdapter {
        private final Duration timeout;

        TlsOnPlaintextPort(Duration timeout) {
            this.timeout = requireNonNull(timeout, "timeout");
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            byte[] body = requiresPlaintext(localHostPort(ctx.channel().localAddress()))
                    .getBytes(StandardCharsets.UTF_8);
            String head = "HTTP/1.1 400 Bad Request\r\nContent-Type: " + HttpAnswer.TEXT + "\r\nContent-Length: "
                    + body.length + "\r\nConnection: close\r\n\r\n";
            ByteBuf response = Unpooled.wrappedBuffer(head.getBytes(StandardCharsets.US_ASCII), body);
            LingeringClose.after(ctx, ctx.writeAndFlush(response), timeout);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }
    }
}
