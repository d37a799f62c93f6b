package io.ursa.xds.server;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Envoy sends its node only on the first request of a stream ({@code set_node_on_first_message_only}, which Kuma's
 * bootstrap sets), but java-control-plane's cache picks the snapshot of each request by that request's node. This
 * interceptor copies the stream's first node into every later request that has none, so every watch of a stream
 * belongs to its proxy; on state-of-the-world and incremental (delta) streams alike. State is per call; gRPC delivers a call's messages one at a time.
 */
final class NodeOnEveryRequest implements ServerInterceptor {
    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                       ServerCallHandler<Q, A> next) {
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
            private Node node;

            @Override
            @SuppressWarnings("unchecked")
            public void onMessage(Q message) {
                if (message instanceof DiscoveryRequest request) {
                    if (request.hasNode()) {
                        node = request.getNode();
                    } else if (node != null) {
                        message = (Q) request.toBuilder().setNode(node).build();
                    }
                } else if (message instanceof DeltaDiscoveryRequest request) {
                    if (request.hasNode()) {
                        node = request.getNode();
                    } else if (node != null) {
                        message = (Q) request.toBuilder().setNode(node).build();
                    }
                }
                super.onMessage(message);
            }
        };
    }
}
