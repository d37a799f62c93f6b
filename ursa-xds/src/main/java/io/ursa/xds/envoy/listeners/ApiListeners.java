package io.ursa.xds.envoy.listeners;

import static java.util.Objects.requireNonNull;

import io.envoyproxy.envoy.config.listener.v3.ApiListener;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.ursa.xds.envoy.Protos;

/**
 * Listeners that bind nothing: an {@code api_listener} whose HTTP connection manager a proxyless gRPC client
 * (io.grpc:grpc-xds) applies to the calls of a channel. It has no address and no filter chain, so it is not built
 * by {@link ListenerBuilder}.
 */
public final class ApiListeners {
    private ApiListeners() {
    }

    /** The API listener {@code name} with {@code hcm}, which must hold its routes (inline or RDS). */
    public static Listener of(String name, HttpConnectionManager hcm) {
        requireNonNull(name, "name");
        requireNonNull(hcm, "hcm");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("invalid listener name: \"\" (expected: a non-empty name)");
        }
        return Listener.newBuilder()
                .setName(name)
                .setApiListener(ApiListener.newBuilder().setApiListener(Protos.pack(hcm)))
                .build();
    }
}
