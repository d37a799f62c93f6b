package io.ursa.xds.server;

import static java.util.Objects.requireNonNull;

import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.ChannelFutureListener;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.SimpleChannelInboundHandler;
import io.grpc.netty.shaded.io.netty.handler.codec.TooLongFrameException;
import io.grpc.netty.shaded.io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.FullHttpRequest;
import io.grpc.netty.shaded.io.netty.handler.codec.http.FullHttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpHeaderNames;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpResponseStatus;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpUtil;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpVersion;
import io.grpc.netty.shaded.io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves aggregated HTTP/1.1 requests of one connection with an {@link HttpEndpoint}, on {@code executor} so the
 * network thread never blocks. A failure of the endpoint is a 500 that is logged; a request larger than the cap
 * is answered 413 by the aggregator before it gets here.
 */
final class Http1Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(Http1Handler.class);

    private final HttpEndpoint endpoint;
    private final Executor executor;

    Http1Handler(HttpEndpoint endpoint, Executor executor) {
        this.endpoint = requireNonNull(endpoint, "endpoint");
        this.executor = requireNonNull(executor, "executor");
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            Throwable cause = request.decoderResult().cause();
            int status = cause instanceof TooLongFrameException ? 413 : 400;
            write(ctx, false, HttpAnswer.text(status, "malformed HTTP request: " + cause.getMessage()));
            return;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        request.headers().forEach(e -> headers.put(e.getKey(), e.getValue()));
        HttpCall call = new HttpCall(request.method().name(), new QueryStringDecoder(request.uri()).path(), headers,
                request.content().toString(StandardCharsets.UTF_8));
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        try {
            executor.execute(() -> {
                HttpAnswer answer;
                try {
                    answer = endpoint.handle(call);
                } catch (RuntimeException e) {
                    log.error("{} {} failed", call.method(), call.path(), e);
                    answer = HttpAnswer.text(500, "internal error: " + e);
                }
                HttpAnswer finalAnswer = answer;
                ctx.executor().execute(() -> write(ctx, keepAlive, finalAnswer));
            });
        } catch (RejectedExecutionException e) {
            write(ctx, false, HttpAnswer.text(503, "the control plane is shutting down"));
        }
    }

    private static void write(ChannelHandlerContext ctx, boolean keepAlive, HttpAnswer answer) {
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(answer.status()), Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
        HttpUtil.setContentLength(response, body.length);
        HttpUtil.setKeepAlive(response, keepAlive);
        var future = ctx.writeAndFlush(response);
        if (!keepAlive) {
            future.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("HTTP connection from {} failed", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }
}
