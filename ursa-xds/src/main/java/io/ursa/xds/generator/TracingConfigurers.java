package io.ursa.xds.generator;

import io.envoyproxy.envoy.config.trace.v3.DatadogConfig;
import io.envoyproxy.envoy.config.trace.v3.Tracing;
import io.envoyproxy.envoy.config.trace.v3.ZipkinConfig;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.type.v3.Percent;
import io.ursa.xds.envoy.Configurer;
import io.ursa.xds.envoy.Protos;
import java.util.Optional;
import java.util.function.Function;

/**
 * The {@code tracing} of an HTTP connection manager ({@code kuma-2.0-envoy-config.md} §5.4, Kuma's
 * {@code tracing_configurer.go}), set on every HTTP, HTTP/2 and gRPC inbound and outbound when the proxy has a
 * {@link ProxyTracing}, and not at all otherwise:
 * <ul>
 *   <li>{@code overallSampling} from the backend's {@code sampling}, only when it is set;</li>
 *   <li>zipkin: provider {@code envoy.zipkin} with the collector cluster, the URL's path and {@code host:port},
 *       {@code traceId128bit}, {@code sharedSpanContext} as given, and {@code HTTP_PROTO} for
 *       {@code apiVersion: httpProto}, {@code HTTP_JSON} for everything else (Kuma's quirk: {@code httpJsonV1}
 *       and an empty version too);</li>
 *   <li>datadog: provider {@code envoy.datadog} with the collector cluster and the proxy's service as service name,
 *       with {@code splitService: true} {@code <service>_INBOUND} on inbounds and
 *       {@code <service>_OUTBOUND_<destination>} on outbounds.</li>
 * </ul>
 */
final class TracingConfigurers {
    static final String ZIPKIN_PROVIDER = "envoy.zipkin";
    static final String DATADOG_PROVIDER = "envoy.datadog";
    private static final String HTTP_PROTO = "httpProto";

    private TracingConfigurers() {
    }

    /** The tracing of an inbound's HTTP connection manager; does nothing without tracing. */
    static Configurer<HttpConnectionManager.Builder> inbound(Optional<ProxyTracing> tracing) {
        return configurer(tracing, t -> t.localService() + "_INBOUND");
    }

    /** The tracing of the HTTP connection manager of an outbound to {@code destination}; nothing without tracing. */
    static Configurer<HttpConnectionManager.Builder> outbound(Optional<ProxyTracing> tracing, String destination) {
        return configurer(tracing, t -> t.localService() + "_OUTBOUND_" + destination);
    }

    private static Configurer<HttpConnectionManager.Builder> configurer(
            Optional<ProxyTracing> tracing, Function<ProxyTracing, String> splitServiceName) {
        if (tracing.isEmpty()) {
            return hcm -> { };
        }
        HttpConnectionManager.Tracing config = tracing(tracing.get(), splitServiceName.apply(tracing.get()));
        return hcm -> hcm.setTracing(config);
    }

    private static HttpConnectionManager.Tracing tracing(ProxyTracing tracing, String splitServiceName) {
        HttpConnectionManager.Tracing.Builder config = HttpConnectionManager.Tracing.newBuilder();
        tracing.sampling().ifPresent(value -> config.setOverallSampling(Percent.newBuilder().setValue(value)));
        Tracing.Http.Builder provider = Tracing.Http.newBuilder();
        if (tracing.collector() instanceof ProxyTracing.Zipkin zipkin) {
            provider.setName(ZIPKIN_PROVIDER).setTypedConfig(Protos.pack(zipkin(tracing.clusterName(), zipkin)));
        } else if (tracing.collector() instanceof ProxyTracing.Datadog datadog) {
            provider.setName(DATADOG_PROVIDER).setTypedConfig(Protos.pack(DatadogConfig.newBuilder()
                    .setCollectorCluster(tracing.clusterName())
                    .setServiceName(datadog.conf().splitService() ? splitServiceName : tracing.localService())
                    .build()));
        }
        return config.setProvider(provider).build();
    }

    private static ZipkinConfig zipkin(String cluster, ProxyTracing.Zipkin zipkin) {
        ZipkinConfig.Builder config = ZipkinConfig.newBuilder()
                .setCollectorCluster(cluster)
                .setCollectorEndpoint(zipkin.path())
                .setCollectorHostname(zipkin.hostPort())
                .setTraceId128Bit(zipkin.conf().traceId128bit())
                .setCollectorEndpointVersion(zipkin.conf().apiVersion().equals(HTTP_PROTO)
                        ? ZipkinConfig.CollectorEndpointVersion.HTTP_PROTO
                        : ZipkinConfig.CollectorEndpointVersion.HTTP_JSON);
        zipkin.conf().sharedSpanContext().ifPresent(shared -> config.setSharedSpanContext(Protos.bool(shared)));
        return config.build();
    }
}
