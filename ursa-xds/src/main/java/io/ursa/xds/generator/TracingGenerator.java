package io.ursa.xds.generator;

import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.envoy.clusters.ClusterBuilder;
import io.ursa.xds.envoy.clusters.ClusterConfigurers;
import io.ursa.xds.envoy.clusters.ProvidedEndpointConfigurers;
import io.ursa.xds.envoy.clusters.ProvidedEndpointConfigurers.DnsLookup;
import io.ursa.xds.resources.ResourceSet;
import java.time.Duration;
import java.util.Optional;

/**
 * The cluster of a proxy's tracing collector ({@code kuma-2.0-envoy-config.md} §5.4, Kuma's
 * {@code tracing_proxy_generator.go}): {@code tracing:<backend>}, one endpoint, connect timeout 10s.
 * <ul>
 *   <li>zipkin: the host and port of {@code conf.url}; TLS ({@link ProvidedEndpointConfigurers#tls}) for an
 *       {@code https} URL;</li>
 *   <li>datadog: {@code conf.address:conf.port} (a port outside 1-65535 fails the generation).</li>
 * </ul>
 * A host name gives a STRICT_DNS cluster that looks up IPv4 only, or IPv6 then IPv4 when the Dataplane's address
 * is IPv6; an IP gives a STATIC cluster.
 *
 * <p>Empty when the proxy has no tracing ({@link ProxyTracing}: no TrafficTrace selects it, or the backend it names
 * is not in the Mesh). The {@code tracing} of the HTTP connection managers that send spans here is set by the
 * inbound and outbound generators ({@link TracingConfigurers}).
 */
public final class TracingGenerator implements Generator {
    /** Kuma's default connect timeout of a provided-endpoint cluster. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    @Override
    public String origin() {
        return Origins.TRACING;
    }

    @Override
    public ResourceSet generate(ProxyContext proxy) {
        Optional<ProxyTracing> tracing = ProxyTracing.of(proxy);
        if (tracing.isEmpty()) {
            return ResourceSet.empty();
        }
        var networking = proxy.spec().networking();
        DnsLookup dnsLookup = DnsLookup.forProxyAddress(networking == null ? null : networking.address());
        ClusterBuilder cluster = ClusterBuilder.named(tracing.get().clusterName());
        if (tracing.get().collector() instanceof ProxyTracing.Zipkin zipkin) {
            cluster.configure(ProvidedEndpointConfigurers.endpoint(zipkin.host(), zipkin.port(), dnsLookup));
            if (zipkin.https()) {
                cluster.configure(ProvidedEndpointConfigurers.tls(zipkin.host()));
            }
        } else if (tracing.get().collector() instanceof ProxyTracing.Datadog datadog) {
            long port = datadog.conf().port();
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("invalid port of tracing backend " + tracing.get().backendName()
                        + ": " + port + " (expected: 1-65535)");
            }
            cluster.configure(ProvidedEndpointConfigurers.endpoint(datadog.conf().address(), (int) port, dnsLookup));
        }
        return ResourceSet.of(cluster.configure(ClusterConfigurers.connectTimeout(CONNECT_TIMEOUT)).build());
    }
}
