package io.ursa.xds.bootstrap;

import com.google.protobuf.Duration;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.bootstrap.v3.RuntimeLayer;
import io.envoyproxy.envoy.config.overload.v3.OverloadAction;
import io.envoyproxy.envoy.config.overload.v3.OverloadManager;
import io.envoyproxy.envoy.config.overload.v3.ResourceMonitor;
import io.envoyproxy.envoy.config.overload.v3.ThresholdTrigger;
import io.envoyproxy.envoy.config.overload.v3.Trigger;
import io.envoyproxy.envoy.extensions.resource_monitors.fixed_heap.v3.FixedHeapConfig;
import io.ursa.xds.envoy.Protos;
import java.util.Optional;

/**
 * The parts of the bootstrap only a builtin gateway gets ({@code kuma-2.0-envoy-config.md} §1, Kuma's
 * {@code pkg/xds/bootstrap/template_v3.go} and its {@code bootstrap.gateway.golden.yaml}):
 * <ul>
 *   <li>the static runtime layer {@value #RUNTIME_LAYER} with {@code overload.global_downstream_max_connections}
 *       {@value #GLOBAL_DOWNSTREAM_MAX_CONNECTIONS} (Kuma's default of
 *       {@code xds.proxy.gateway.globalDownstreamMaxConnections}, which Ursa does not make configurable);</li>
 *   <li>the overload manager, only when the agent reported {@code resources.maxHeapSizeBytes > 0}: the
 *       {@code fixed_heap} monitor refreshed every 250 ms, shrinking the heap at 95% and refusing requests at
 *       98%.</li>
 * </ul>
 * <p>Not yet: Kuma's second layer, the RTDS layer {@code gateway.listeners} over ADS, through which Kuma sets
 * per-listener connection limits. The DP server does not serve the Runtime type
 * ({@link io.ursa.xds.resources.EnvoyType} has no RTDS), and Envoy waits for every RTDS layer before it starts
 * listening, so a layer nothing answers would keep the gateway from ever serving; it is left out until the DP
 * server serves Runtime resources. Stateless.
 */
final class GatewayBootstrap {
    static final String RUNTIME_LAYER = "gateway";
    static final String MAX_CONNECTIONS_KEY = "overload.global_downstream_max_connections";
    static final long GLOBAL_DOWNSTREAM_MAX_CONNECTIONS = 50_000;

    private static final String FIXED_HEAP_MONITOR = "envoy.resource_monitors.fixed_heap";
    private static final String SHRINK_HEAP = "envoy.overload_actions.shrink_heap";
    private static final String STOP_ACCEPTING_REQUESTS = "envoy.overload_actions.stop_accepting_requests";
    private static final double SHRINK_HEAP_AT = 0.95;
    private static final double STOP_ACCEPTING_REQUESTS_AT = 0.98;
    private static final Duration REFRESH_INTERVAL = Duration.newBuilder().setNanos(250_000_000).build();

    private GatewayBootstrap() {
    }

    /** The {@value #RUNTIME_LAYER} static layer. */
    static RuntimeLayer runtimeLayer() {
        return RuntimeLayer.newBuilder()
                .setName(RUNTIME_LAYER)
                .setStaticLayer(Struct.newBuilder().putFields(MAX_CONNECTIONS_KEY,
                        Value.newBuilder().setNumberValue(GLOBAL_DOWNSTREAM_MAX_CONNECTIONS).build()))
                .build();
    }

    /** The overload manager for a heap of {@code maxHeapSizeBytes}, empty when the agent reported none (0). */
    static Optional<OverloadManager> overloadManager(long maxHeapSizeBytes) {
        if (maxHeapSizeBytes <= 0) {
            return Optional.empty();
        }
        return Optional.of(OverloadManager.newBuilder()
                .setRefreshInterval(REFRESH_INTERVAL)
                .addResourceMonitors(ResourceMonitor.newBuilder()
                        .setName(FIXED_HEAP_MONITOR)
                        .setTypedConfig(Protos.pack(FixedHeapConfig.newBuilder()
                                .setMaxHeapSizeBytes(maxHeapSizeBytes).build())))
                .addActions(action(SHRINK_HEAP, SHRINK_HEAP_AT))
                .addActions(action(STOP_ACCEPTING_REQUESTS, STOP_ACCEPTING_REQUESTS_AT))
                .build());
    }

    private static OverloadAction action(String name, double threshold) {
        return OverloadAction.newBuilder()
                .setName(name)
                .addTriggers(Trigger.newBuilder()
                        .setName(FIXED_HEAP_MONITOR)
                        .setThreshold(ThresholdTrigger.newBuilder().setValue(threshold)))
                .build();
    }
}
