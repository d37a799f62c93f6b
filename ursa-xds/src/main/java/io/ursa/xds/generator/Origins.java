package io.ursa.xds.generator;

/**
 * The origins Kuma 2.0 marks each generated resource with ({@code Origin*} constants of
 * {@code pkg/xds/generator}), which a ProxyTemplate modification's {@code match.origin} selects by. Each
 * {@link Generator} of the Envoy profile returns its own from {@link Generator#origin()}.
 *
 * <p>Kuma also has {@code ingress}, {@code egress},
 * {@code gateway} and {@code mesh-trace}; Ursa has no generator of those yet, so a modification matching them
 * matches nothing, as it would in Kuma on a proxy that has no such resources.
 */
public final class Origins {
    /** Envoy's admin exposure ({@link AdminGenerator}). */
    public static final String ADMIN = "admin";
    /** The Prometheus listener ({@link PrometheusEndpointGenerator}). */
    public static final String PROMETHEUS = "prometheus";
    /** Inbound listeners and local clusters ({@link InboundGenerator}). */
    public static final String INBOUND = "inbound";
    /** Outbound listeners, clusters and load assignments ({@link OutboundGenerator}). */
    public static final String OUTBOUND = "outbound";
    /** The catch-all listeners and passthrough clusters ({@link TransparentProxyGenerator}). */
    public static final String TRANSPARENT = "transparent";
    /** The tracing collector cluster ({@link TracingGenerator}). */
    public static final String TRACING = "tracing";
    /** The direct-access listeners and cluster ({@link DirectAccessGenerator}). */
    public static final String DIRECT_ACCESS = "direct-access";
    /** The {@code kuma:dns} listener ({@link DnsGenerator}). */
    public static final String DNS = "dns";
    /** The virtual probes listener ({@link ProbeGenerator}). */
    public static final String PROBE = "probe";
    /** The SDS secrets ({@link SecretsGenerator}). */
    public static final String SECRETS = "secrets";
    /** The builtin gateway's listeners, routes, clusters and certificates (Kuma's {@code metadata.OriginGateway}). */
    public static final String GATEWAY = "gateway";
    /** A ProxyTemplate's {@code conf.resources}. */
    public static final String PROXY_TEMPLATE_RAW = "proxy-template-raw";
    /** A cluster or listener a ProxyTemplate's {@code add} modification added. */
    public static final String PROXY_TEMPLATE_MODIFICATIONS = "proxy-template-modifications";

    private Origins() {
    }
}
