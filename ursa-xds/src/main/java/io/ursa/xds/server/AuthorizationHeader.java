package io.ursa.xds.server;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.Optional;

/**
 * Carries the {@code authorization} header of a gRPC call (Envoy sends the dataplane token there, envoy-config
 * §1.2) to the stream callbacks, which run in the call's {@link Context}.
 */
final class AuthorizationHeader implements ServerInterceptor {
    private static final Metadata.Key<String> HEADER =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<String> TOKEN = Context.key("ursa-dataplane-token");

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                       ServerCallHandler<Q, A> next) {
        String value = headers.get(HEADER);
        if (value == null) {
            return next.startCall(call, headers);
        }
        return Contexts.interceptCall(Context.current().withValue(TOKEN, value), call, headers, next);
    }

    /** The header of the current call, if it had one. */
    static Optional<String> current() {
        return Optional.ofNullable(TOKEN.get())
                .map(v -> v.regionMatches(true, 0, "Bearer ", 0, 7) ? v.substring(7) : v)
                .map(String::strip)
                .filter(v -> !v.isEmpty());
    }
}
