package io.ursa.bench.xds;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One simulated sidecar: an ADS stream subscribed to one xDS type (with its node id and Dataplane definition in
 * the node metadata, as Envoy's bootstrap carries them), ACKing every response as Envoy does and remembering when
 * each version arrived and how many resources it held.
 */
final class SimulatedSidecar {
    private final StreamObserver<DiscoveryRequest> requests;
    private final Object lock = new Object();
    private String version = "";
    private int resources;
    private long receivedAt;
    /** Set when the bench closes the stream: the channel's shutdown then fails it, which is no news. */
    private volatile boolean closed;

    SimulatedSidecar(String nodeId, String definition, ManagedChannel channel, String typeUrl, List<String> names) {
        Node node = Node.newBuilder().setId(nodeId).setUserAgentName("envoy")
                .setMetadata(Struct.newBuilder().putFields("dataplane.resource",
                        Value.newBuilder().setStringValue(definition).build())).build();
        requests = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(new StreamObserver<>() {
            @Override
            public void onNext(DiscoveryResponse response) {
                synchronized (lock) {
                    version = response.getVersionInfo();
                    resources = response.getResourcesCount();
                    receivedAt = System.nanoTime();
                    lock.notifyAll();
                }
                send(DiscoveryRequest.newBuilder().setTypeUrl(typeUrl).addAllResourceNames(names)
                        .setVersionInfo(response.getVersionInfo()).setResponseNonce(response.getNonce()).build());
            }

            @Override
            public void onError(Throwable t) {
                if (!closed) {
                    System.err.println(nodeId + ": stream failed: " + t);
                }
            }

            @Override
            public void onCompleted() {
            }
        });
        send(DiscoveryRequest.newBuilder().setNode(node).setTypeUrl(typeUrl).addAllResourceNames(names).build());
    }

    private synchronized void send(DiscoveryRequest request) {
        requests.onNext(request);
    }

    String version() {
        synchronized (lock) {
            return version;
        }
    }

    /** Waits until the version differs from {@code previous}; returns when (nanoTime) it arrived. */
    long awaitVersionChange(String previous, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (version.equals(previous)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("no new configuration within " + timeout);
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return receivedAt;
        }
    }

    /** Waits until a response holds at least {@code count} resources; returns when (nanoTime) it arrived. */
    long awaitResources(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (resources < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("no response with " + count + " resources within " + timeout);
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return receivedAt;
        }
    }

    synchronized void close() {
        closed = true;
        requests.onCompleted();
    }
}
