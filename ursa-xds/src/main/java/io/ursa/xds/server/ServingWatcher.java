package io.ursa.xds.server;

import static java.util.Objects.requireNonNull;

import io.envoyproxy.controlplane.cache.ConfigWatcher;
import io.envoyproxy.controlplane.cache.DeltaResponse;
import io.envoyproxy.controlplane.cache.DeltaWatch;
import io.envoyproxy.controlplane.cache.DeltaXdsRequest;
import io.envoyproxy.controlplane.cache.Response;
import io.envoyproxy.controlplane.cache.Watch;
import io.envoyproxy.controlplane.cache.XdsRequest;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the snapshot cache answers ADS requests (state of the world and incremental), with two changes to java-control-plane's behaviour:
 * <ul>
 *   <li><b>Partial answers.</b> In ADS mode the cache withholds the whole response of a type while any name the
 *       proxy asks for is missing from its snapshot. A proxy that still asks for a service whose last instance
 *       just left would then get no update of that type at all (and keep the dead endpoint). Ursa's snapshots are
 *       consistent by construction ({@code SnapshotAssembler}), so a missing name only means "gone": the answer
 *       holds what exists, and grpc-xds and Envoy treat the rest as removed.</li>
 *   <li><b>NACK back-off</b> (Kuma's {@code xdsServer.nackBackoff}). A rejecting proxy asks again with its last
 *       good version, which differs from the snapshot's, so the cache would resend the rejected configuration at
 *       once, in a loop of hundreds per second. The answer to a NACK is delayed by the back-off instead. The same
 *       holds for a delta NACK: the resources it refused are still not acknowledged, so the cache would send them
 *       again at once.</li>
 * </ul>
 */
final class ServingWatcher implements ConfigWatcher {
    private static final Logger log = LoggerFactory.getLogger(ServingWatcher.class);

    private final ConfigWatcher cache;
    private final Duration nackBackoff;
    private final ScheduledExecutorService timer;

    ServingWatcher(ConfigWatcher cache, Duration nackBackoff, ScheduledExecutorService timer) {
        this.cache = requireNonNull(cache, "cache");
        this.nackBackoff = requireNonNull(nackBackoff, "nackBackoff");
        this.timer = requireNonNull(timer, "timer");
    }

    @Override
    public Watch createWatch(boolean ads, XdsRequest request, Set<String> knownResourceNames,
                             Consumer<Response> responseConsumer, boolean hasClusterChanged,
                             boolean allowDefaultEmptyEdsUpdate) {
        Consumer<Response> consumer = request.hasErrorDetail() && !nackBackoff.isZero()
                ? delayed(responseConsumer) : responseConsumer;
        return cache.createWatch(false, request, knownResourceNames, consumer, hasClusterChanged,
                allowDefaultEmptyEdsUpdate);
    }

    @Override
    public DeltaWatch createDeltaWatch(DeltaXdsRequest request, String requesterVersion,
                                       Map<String, String> resourceVersions, Set<String> pendingResources,
                                       boolean isWildcard, Consumer<DeltaResponse> responseConsumer,
                                       boolean hasClusterChanged) {
        Consumer<DeltaResponse> consumer = request.v3Request().hasErrorDetail() && !nackBackoff.isZero()
                ? delayed(responseConsumer) : responseConsumer;
        return cache.createDeltaWatch(request, requesterVersion, resourceVersions, pendingResources, isWildcard,
                consumer, hasClusterChanged);
    }

    private <R> Consumer<R> delayed(Consumer<R> consumer) {
        return response -> {
            try {
                timer.schedule(() -> send(consumer, response), nackBackoff.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                log.debug("not answering a NACK: the control plane is stopping");
            }
        };
    }

    private static <R> void send(Consumer<R> consumer, R response) {
        try {
            consumer.accept(response);
        } catch (RuntimeException e) {
            log.debug("could not answer a NACK, the stream is probably gone", e);
        }
    }
}
