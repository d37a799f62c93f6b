package io.ursa.xds.server;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Caps the gRPC streams one client address may have open at once ({@code dpServer.maxStreamsPerClient}), so that
 * one host cannot take every stream the control plane can serve. A stream beyond the cap is closed at once with
 * RESOURCE_EXHAUSTED and a message naming the limit and its setting; a stream counts from its start until it
 * completes or is cancelled (grpc calls exactly one of the two). Thread-safe: the counts are a concurrent map whose
 * entries are changed atomically and removed at zero.
 */
final class StreamsPerClient implements ServerInterceptor {
    static final String SETTING = "URSA_DP_SERVER_MAX_STREAMS_PER_CLIENT";

    private final int limit;
    private final Map<InetAddress, Integer> open = new ConcurrentHashMap<>();

    /** @param limit the most streams per client address; must be positive */
    StreamsPerClient(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("invalid limit: " + limit + " (expected: at least 1)");
        }
        this.limit = limit;
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
                                                                 ServerCallHandler<ReqT, RespT> next) {
        SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        if (!(remote instanceof InetSocketAddress inet) || inet.getAddress() == null) {
            return next.startCall(call, headers);
        }
        InetAddress client = inet.getAddress();
        if (!tryOpen(client)) {
            call.close(Status.RESOURCE_EXHAUSTED.withDescription("too many concurrent streams from "
                    + client.getHostAddress() + ": at most " + limit + " per client address (set " + SETTING
                    + " to change the limit, 0 for none)"), new Metadata());
            return new ServerCall.Listener<>() { };
        }
        AtomicBoolean closed = new AtomicBoolean();
        Runnable release = () -> {
            if (closed.compareAndSet(false, true)) {
                open.computeIfPresent(client, (address, count) -> count == 1 ? null : count - 1);
            }
        };
        ServerCall.Listener<ReqT> listener;
        try {
            listener = next.startCall(call, headers);
        } catch (RuntimeException | Error e) {
            release.run();
            throw e;
        }
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onComplete() {
                release.run();
                super.onComplete();
            }

            @Override
            public void onCancel() {
                release.run();
                super.onCancel();
            }
        };
    }

    /** How many streams {@code client} has open. */
    int openStreams(InetAddress client) {
        return open.getOrDefault(client, 0);
    }

    private boolean tryOpen(InetAddress client) {
        boolean[] admitted = {false};
        open.compute(client, (address, count) -> {
            int current = count == null ? 0 : count;
            if (current >= limit) {
                return count;
            }
            admitted[0] = true;
            return current + 1;
        });
        return admitted[0];
    }
}
