package io.ursa.xds.generator;

import io.ursa.api.spec.Protocols;
import io.ursa.api.spec.Tags;
import io.ursa.xds.context.Endpoint;
import java.util.List;
import java.util.Map;

/**
 * The protocol of a destination, inferred from the {@code kuma.io/protocol} tags of all its endpoints
 * ({@code kuma-2.0-envoy-config.md} §3.2, Kuma's {@code InferServiceProtocol}): the deepest protocol every endpoint
 * speaks, with grpc ⊂ http2 ⊂ tcp, http ⊂ tcp and kafka ⊂ tcp. An endpoint without a (known) tag, or no endpoints
 * at all, make it {@link #UNKNOWN}, which is proxied like TCP.
 */
enum ServiceProtocol {
    UNKNOWN, TCP, HTTP, HTTP2, GRPC, KAFKA;

    /** Whether the outbound gets an HTTP connection manager (rather than a tcp_proxy). */
    boolean isHttp() {
        return this == HTTP || this == HTTP2 || this == GRPC;
    }

    static ServiceProtocol ofTags(Map<String, String> tags) {
        String tag = tags.get(Tags.PROTOCOL);
        if (tag == null) {
            return UNKNOWN;
        }
        return switch (Protocols.parse(tag).orElse("")) {
            case Protocols.TCP -> TCP;
            case Protocols.HTTP -> HTTP;
            case Protocols.HTTP2 -> HTTP2;
            case Protocols.GRPC -> GRPC;
            case Protocols.KAFKA -> KAFKA;
            default -> UNKNOWN;
        };
    }

    static ServiceProtocol infer(List<Endpoint> endpoints) {
        if (endpoints.isEmpty()) {
            return UNKNOWN;
        }
        ServiceProtocol protocol = ofTags(endpoints.get(0).tags());
        for (Endpoint endpoint : endpoints.subList(1, endpoints.size())) {
            protocol = common(protocol, ofTags(endpoint.tags()));
        }
        return protocol;
    }

    /** The deepest protocol both speak (Kuma's {@code GetCommonProtocol}). */
    static ServiceProtocol common(ServiceProtocol a, ServiceProtocol b) {
        if (a == b) {
            return a;
        }
        if (a == UNKNOWN || b == UNKNOWN) {
            return UNKNOWN;
        }
        if ((a == GRPC && b == HTTP2) || (a == HTTP2 && b == GRPC)) {
            return HTTP2;
        }
        return TCP;
    }
}
