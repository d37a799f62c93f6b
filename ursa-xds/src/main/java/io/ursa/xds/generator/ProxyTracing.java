package io.ursa.xds.generator;

import static java.util.Objects.requireNonNull;

import io.ursa.api.mesh.ConfException;
import io.ursa.api.mesh.DatadogConfig;
import io.ursa.api.mesh.Tracing;
import io.ursa.api.mesh.ZipkinConfig;
import io.ursa.api.policy.TrafficTraceSpec;
import io.ursa.api.resource.Resource;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.generator.policies.ConnectionPolicies;
import io.ursa.xds.names.EnvoyNames;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * The tracing decision for one proxy ({@code kuma-2.0-envoy-config.md} §5.4, mesh-spec §7.2), made by one pure
 * function that {@link TracingGenerator} (the collector cluster) and the inbound and outbound generators (the
 * {@code tracing} of their HTTP connection managers, see {@link TracingConfigurers}) each call once per
 * generation, so they always agree: tracing is on when a TrafficTrace selects the proxy and the Mesh has the
 * backend it names ({@code conf.backend}, else {@code tracing.defaultBackend}).
 *
 * @param backendName  the Mesh's tracing backend
 * @param sampling     the backend's {@code sampling} percentage; empty means Envoy's default (100%)
 * @param collector    where spans go, by backend type
 * @param localService the proxy's identifying service (the alphabetically first of its {@code kuma.io/service}
 *                     tags, {@code unknown} without one), Datadog's service name
 */
record ProxyTracing(String backendName, Optional<Double> sampling, Collector collector, String localService) {

    /** Where spans are sent, by backend type. */
    sealed interface Collector permits Zipkin, Datadog {
    }

    /**
     * A Zipkin collector at {@code host:port} (from {@code conf.url}, whose port is explicit).
     *
     * @param hostPort {@code host:port} as written in the URL, Envoy's {@code collectorHostname}
     * @param path     the URL's path, Envoy's {@code collectorEndpoint}
     */
    record Zipkin(ZipkinConfig conf, boolean https, String host, int port, String hostPort, String path)
            implements Collector {
    }

    /** A Datadog agent at {@code conf.address:conf.port}. */
    record Datadog(DatadogConfig conf) implements Collector {
    }

    ProxyTracing {
        requireNonNull(backendName, "backendName");
        requireNonNull(sampling, "sampling");
        requireNonNull(collector, "collector");
        requireNonNull(localService, "localService");
    }

    /**
     * The tracing of {@code proxy}; empty when no TrafficTrace selects it or the backend it names is not in the Mesh.
     *
     * @throws IllegalArgumentException when the backend's conf is not usable (validation keeps this from happening)
     */
    static Optional<ProxyTracing> of(ProxyContext proxy) {
        Optional<Resource<TrafficTraceSpec>> trace = ConnectionPolicies.trafficTrace(proxy);
        if (trace.isEmpty()) {
            return Optional.empty();
        }
        TrafficTraceSpec.Conf conf = trace.get().spec().conf();
        return proxy.meshSpec().tracingBackend(conf == null ? "" : conf.backend())
                .map(backend -> new ProxyTracing(backend.name(), Optional.ofNullable(backend.sampling()),
                        collector(backend), IdentifyingService.of(proxy.spec())));
    }

    /** {@code tracing:<backend>}: the collector's cluster. */
    String clusterName() {
        return EnvoyNames.tracingCluster(backendName);
    }

    private static Collector collector(Tracing.Backend backend) {
        try {
            return switch (backend.type()) {
                case Tracing.ZIPKIN -> zipkin(ZipkinConfig.parse(backend.conf()), backend.name());
                case Tracing.DATADOG -> new Datadog(DatadogConfig.parse(backend.conf()));
                default -> throw new IllegalArgumentException("invalid type of tracing backend " + backend.name()
                        + ": \"" + backend.type() + "\" (expected: zipkin or datadog)");
            };
        } catch (ConfException e) {
            throw new IllegalArgumentException("invalid conf of tracing backend " + backend.name() + ": "
                    + e.getMessage(), e);
        }
    }

    private static Zipkin zipkin(ZipkinConfig conf, String backendName) {
        URI url;
        try {
            url = new URI(conf.url());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("invalid url of tracing backend " + backendName + ": \"" + conf.url()
                    + "\" (expected: an absolute URL with a port, e.g. http://zipkin:9411/api/v2/spans)", e);
        }
        if (url.getHost() == null || url.getPort() < 0 || url.getScheme() == null) {
            throw new IllegalArgumentException("invalid url of tracing backend " + backendName + ": \"" + conf.url()
                    + "\" (expected: an absolute URL with a port, e.g. http://zipkin:9411/api/v2/spans)");
        }
        String host = url.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String authority = url.getRawAuthority();
        String hostPort = authority.substring(authority.indexOf('@') + 1);
        boolean https = url.getScheme().toLowerCase(Locale.ROOT).equals("https");
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        return new Zipkin(conf, https, host, url.getPort(), hostPort, path);
    }
}
