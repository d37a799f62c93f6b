package io.ursa.xds.server;

import static java.util.Objects.requireNonNull;

import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.channel.ChannelDuplexHandler;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import io.grpc.netty.shaded.io.netty.channel.ChannelPromise;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpRequest;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpStatusClass;
import io.grpc.netty.shaded.io.netty.handler.codec.http.LastHttpContent;
import io.grpc.netty.shaded.io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP/1.1 side's deadlines ({@code general.http.*}), as Go's {@code http.Server} has them: the request line
 * and headers must arrive within the header timeout of the request's first byte, the body within the body
 * timeout after the headers, and a keep-alive connection with nothing in flight is closed after the idle timeout.
 * While the endpoint works on a request nothing is timed: that wait is not the client's.
 *
 * <p>It sits after the {@code HttpServerCodec}, where it sees requests, bodies and responses; its {@link #bytes()}
 * handler sits before the codec and tells it when the first byte of the next request arrives on an idle
 * connection. All state belongs to the connection's event loop.
 */
final class Http1Timeouts extends ChannelDuplexHandler {
    private static final Logger log = LoggerFactory.getLogger(Http1Timeouts.class);

    private enum Phase {
        /** Waiting for the request line and headers (the first bytes have arrived). */
        HEADERS,
        /** Headers arrived; waiting for the rest of the body. */
        BODY,
        /** The whole request arrived; the endpoint answers it. */
        IN_FLIGHT,
        /** Answered; waiting for the next request on a keep-alive connection. */
        IDLE
    }

    private final HttpTimeouts timeouts;
    private Phase phase = Phase.HEADERS;
    /** A final response to the current request was written (it may come before the body ends: a 413). */
    private boolean answered;
    private ScheduledFuture<?> deadline;
    private ChannelHandlerContext context;

    Http1Timeouts(HttpTimeouts timeouts) {
        this.timeouts = requireNonNull(timeouts, "timeouts");
    }

    /** The handler to put before the codec: it sees the raw bytes. */
    ChannelInboundHandlerAdapter bytes() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof ByteBuf && phase == Phase.IDLE) {
                    enter(Phase.HEADERS);
                }
                ctx.fireChannelRead(msg);
            }
        };
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        context = ctx;
        enter(Phase.HEADERS);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancel();
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            answered = false;
            enter(Phase.BODY);
        }
        if (msg instanceof LastHttpContent) {
            enter(answered ? Phase.IDLE : Phase.IN_FLIGHT);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        boolean informational = msg instanceof HttpResponse response && response.status().codeClass()
                == HttpStatusClass.INFORMATIONAL;
        if (msg instanceof LastHttpContent && !informational) {
            answered = true;
            promise = promise.unvoid();
            promise.addListener(written -> {
                if (written.isSuccess() && phase == Phase.IN_FLIGHT && ctx.channel().isActive()) {
                    enter(Phase.IDLE);
                }
            });
        }
        ctx.write(msg, promise);
    }

    private void enter(Phase next) {
        cancel();
        phase = next;
        Duration timeout = switch (next) {
            case HEADERS -> timeouts.header();
            case BODY -> timeouts.body();
            case IDLE -> timeouts.idle();
            case IN_FLIGHT -> null;
        };
        if (timeout != null) {
            deadline = context.executor().schedule(() -> expire(next, timeout), timeout.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    private void expire(Phase expired, Duration timeout) {
        if (phase != expired) {
            return;
        }
        String what = switch (expired) {
            case HEADERS -> "the request line and headers did not arrive within " + timeout;
            case BODY -> "the request body did not arrive within " + timeout;
            default -> "idle for " + timeout;
        };
        log.debug("closing the HTTP connection from {}: {}", context.channel().remoteAddress(), what);
        context.close();
    }

    private void cancel() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }
}
