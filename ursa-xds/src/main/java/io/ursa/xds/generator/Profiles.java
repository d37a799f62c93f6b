package io.ursa.xds.generator;

import io.ursa.xds.context.ProxyKind;

/**
 * The generator profiles, one per {@link ProxyKind} (Kuma's {@code default-proxy} profile and our proxyless one).
 * The order of generators is the order of envoy-config §0.4; every generator of a profile runs for every proxy
 * of that kind and returns nothing when its concern does not apply. The SDS secrets come last in both (Kuma's
 * order).
 */
public final class Profiles {
    private static final Profile ENVOY = Profile.of(
            new AdminGenerator(),
            new PrometheusEndpointGenerator(),
            new InboundGenerator(),
            new OutboundGenerator(),
            new TransparentProxyGenerator(),
            new DirectAccessGenerator(),
            new TracingGenerator(),
            new ProbeGenerator(),
            new DnsGenerator(),
            new SecretsGenerator());

    private Profiles() {
    }

    private static final Profile GRPC = Profile.of(
            new GrpcServerGenerator(),
            new GrpcClientGenerator(),
            new SecretsGenerator());

    /** The profile of an Envoy sidecar. */
    public static Profile envoy() {
        return ENVOY;
    }

    /**
     * The profile of a proxyless gRPC application: its server listeners, then what its channels ask for, then the
     * secrets its certificate agent asks for.
     */
    public static Profile grpc() {
        return GRPC;
    }

    /** The profile for {@code kind}. */
    public static Profile forKind(ProxyKind kind) {
        return switch (kind) {
            case ENVOY -> ENVOY;
            case GRPC -> GRPC;
        };
    }
}
