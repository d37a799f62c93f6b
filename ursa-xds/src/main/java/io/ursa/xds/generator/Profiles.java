package io.ursa.xds.generator;

import io.ursa.xds.context.ProxyContext;
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

    /**
     * Kuma's {@code gateway-proxy} profile ({@code pkg/plugins/runtime/gateway/plugin.go}): admin, Prometheus,
     * tracing, transparent proxying and DNS as for a sidecar, then the gateway's own configuration, then the
     * secrets.
     */
    private static final Profile GATEWAY = Profile.of(
            new AdminGenerator(),
            new PrometheusEndpointGenerator(),
            new TracingGenerator(),
            new TransparentProxyGenerator(),
            new DnsGenerator(),
            new io.ursa.xds.gateway.GatewayGenerator(),
            new SecretsGenerator());

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

    /** The profile of a builtin gateway (an Envoy whose Dataplane has {@code networking.gateway.type: BUILTIN}). */
    public static Profile gateway() {
        return GATEWAY;
    }

    /**
     * The profile of {@code proxy}: the gateway's for an Envoy whose Dataplane is a builtin gateway, else its
     * kind's.
     */
    public static Profile forProxy(ProxyContext proxy) {
        if (proxy.metadata().kind() == ProxyKind.ENVOY
                && proxy.spec().hasGateway(io.ursa.api.dataplane.DataplaneSpec.GatewayType.BUILTIN)) {
            return GATEWAY;
        }
        return forKind(proxy.metadata().kind());
    }

    /** The profile for {@code kind} (a builtin gateway's is {@link #forProxy}'s). */
    public static Profile forKind(ProxyKind kind) {
        return switch (kind) {
            case ENVOY -> ENVOY;
            case GRPC -> GRPC;
        };
    }
}
