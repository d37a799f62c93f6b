package io.ursa.xds.server;

import com.google.rpc.Status;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An incremental ("delta") ADS client that behaves like Envoy with {@code api_type: DELTA_GRPC} on the wire: the node
 * on the first request only, subscriptions by name (none for the wildcard types), ACKs by nonce, NACKs with
 * error_detail. It keeps what it holds per type, as Envoy does: each response's resources replace those of the
 * same name, and removed names are dropped.
 */
final class DeltaAdsTestClient implements AutoCloseable {
    private final ManagedChannel channel;
    private final Node node;
    private final BlockingQueue<DeltaDiscoveryResponse> responses = new LinkedBlockingQueue<>();
    private final List<DeltaDiscoveryResponse> unclaimed = new ArrayList<>();
    private final CompletableFuture<Optional<StatusRuntimeException>> closed = new CompletableFuture<>();
    private final StreamObserver<DeltaDiscoveryRequest> requests;
    private final Map<String, Map<String, Resource>> held = new TreeMap<>();
    private boolean sentNode;

    DeltaAdsTestClient(ManagedChannel channel, String nodeId, Map<String, String> metadata, Optional<String> token) {
        this.channel = channel;
        node = AdsTestClient.envoyNode(nodeId, metadata);
        requests = AdsTestClient.stub(channel, token).deltaAggregatedResources(
                AdsTestClient.recording(responses, closed));
    }

    /** Subscribes to {@code names} of {@code typeUrl}; no names is the wildcard (clusters and listeners). */
    void subscribe(String typeUrl, List<String> names) {
        send(DeltaDiscoveryRequest.newBuilder().setTypeUrl(typeUrl).addAllResourceNamesSubscribe(names));
    }

    void unsubscribe(String typeUrl, List<String> names) {
        send(DeltaDiscoveryRequest.newBuilder().setTypeUrl(typeUrl).addAllResourceNamesUnsubscribe(names));
    }

    /** The next response of {@code typeUrl}, now applied to what the client holds; others are kept for later. */
    DeltaDiscoveryResponse next(String typeUrl, Duration timeout) throws InterruptedException {
        DeltaDiscoveryResponse response = take(typeUrl, timeout);
        Map<String, Resource> resources = held.computeIfAbsent(typeUrl, t -> new TreeMap<>());
        response.getResourcesList().forEach(r -> resources.put(r.getName(), r));
        response.getRemovedResourcesList().forEach(resources::remove);
        return response;
    }

    private DeltaDiscoveryResponse take(String typeUrl, Duration timeout) throws InterruptedException {
        for (var it = unclaimed.iterator(); it.hasNext(); ) {
            DeltaDiscoveryResponse kept = it.next();
            if (kept.getTypeUrl().equals(typeUrl)) {
                it.remove();
                return kept;
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            DeltaDiscoveryResponse response = responses.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (response == null) {
                throw new AssertionError("no " + typeUrl + " response within " + timeout
                        + (closed.isDone() ? "; the stream closed: " + closed.join() : ""));
            }
            if (response.getTypeUrl().equals(typeUrl)) {
                return response;
            }
            unclaimed.add(response);
        }
    }

    void ack(DeltaDiscoveryResponse response) {
        send(DeltaDiscoveryRequest.newBuilder().setTypeUrl(response.getTypeUrl())
                .setResponseNonce(response.getNonce()));
    }

    void nack(DeltaDiscoveryResponse response, String error) {
        send(DeltaDiscoveryRequest.newBuilder().setTypeUrl(response.getTypeUrl())
                .setResponseNonce(response.getNonce())
                .setErrorDetail(Status.newBuilder().setCode(3).setMessage(error)));
    }

    /** The names of {@code typeUrl} the client holds now. */
    List<String> held(String typeUrl) {
        return List.copyOf(held.getOrDefault(typeUrl, Map.of()).keySet());
    }

    /** The resource {@code name} of {@code typeUrl} the client holds. */
    Resource resource(String typeUrl, String name) {
        Resource resource = held.getOrDefault(typeUrl, Map.of()).get(name);
        if (resource == null) {
            throw new AssertionError("no " + typeUrl + " named " + name + "; held: " + held(typeUrl));
        }
        return resource;
    }

    /** The error that closed the stream, waiting up to {@code timeout}. */
    StatusRuntimeException error(Duration timeout) throws Exception {
        return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .orElseThrow(() -> new AssertionError("the stream completed without an error"));
    }

    private void send(DeltaDiscoveryRequest.Builder request) {
        if (!sentNode) {
            request.setNode(node);
            sentNode = true;
        }
        requests.onNext(request.build());
    }

    @Override
    public void close() {
        if (!channel.isShutdown()) {
            channel.shutdownNow();
        }
    }
}
