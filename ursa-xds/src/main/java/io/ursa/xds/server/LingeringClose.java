package io.ursa.xds.server;

import io.grpc.netty.shaded.io.netty.channel.ChannelFuture;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.socket.DuplexChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection after a last answer so that the client gets to read it. Closing a socket whose client is
 * still sending makes the kernel reset the connection, and a reset can throw away the answer the client has not
 * read yet. So the write side is shut down first (the client reads the answer, then end of stream), and the
 * connection is closed when the client closes its side (netty closes on end of input) or after {@code linger}.
 * Until then the caller's handler must keep discarding what the client sends.
 */
final class LingeringClose {
    private LingeringClose() {
    }

    static void after(ChannelHandlerContext ctx, ChannelFuture written, Duration linger) {
        written.addListener(write -> {
            if (!write.isSuccess() || !(ctx.channel() instanceof DuplexChannel duplex) || !duplex.isActive()) {
                ctx.close();
                return;
            }
            duplex.shutdownOutput();
            ctx.executor().schedule(() -> ctx.close(), linger.toMillis(), TimeUnit.MILLISECONDS);
        });
    }
}
