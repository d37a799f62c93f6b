package io.ursa.e2e;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.function.BiConsumer;

/**
 * {@link FakeEnvoy}'s ADS stream when its bootstrap says {@code api_type: DELTA_GRPC}, as Envoy speaks it: the node
 * on the first request, clusters and listeners as wildcards, each response applied to what it holds (resources
 * replaced by name, removed names dropped), ACKs by nonce, and the SDS secrets its listeners name subscribed to
 * (and unsubscribed from) by name. Every resource received is listed as with state of the world.
 */
final class FakeEnvoyDelta {
    private static final String CLUSTER_TYPE = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
    private static final String LISTENER_TYPE = "type.googleapis.com/envoy.config.listener.v3.Listener";

    private final Path dir;
    private final BiConsumer<String, String> log;
    private final Map<String, Listener> listeners = new TreeMap<>();
    private final Set<String> secrets = new TreeSet<>();
    private StreamObserver<DeltaDiscoveryRequest> requests;

    /** {@code log} takes a file name ({@code received.txt}, {@code stream-error.txt}) and a line to append. */
    private FakeEnvoyDelta(Path dir, BiConsumer<String, String> log) {
        this.dir = dir;
        this.log = log;
    }

    /** Opens the stream on {@code stub} as {@code node}; {@code done} counts down when it ends. */
    static void run(AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceStub stub, Node node, Path dir,
                    BiConsumer<String, String> log, CountDownLatch done) {
        FakeEnvoyDelta envoy = new FakeEnvoyDelta(dir, log);
        synchronized (envoy) {
            envoy.requests = stub.deltaAggregatedResources(new StreamObserver<>() {
                @Override
                public void onNext(DeltaDiscoveryResponse response) {
                    synchronized (envoy) {
                        envoy.handle(response);
                    }
                }

                @Override
                public void onError(Throwable t) {
                    log.accept("stream-error.txt", t.getMessage());
                    done.countDown();
                }

                @Override
                public void onCompleted() {
                    done.countDown();
                }
            });
            envoy.requests.onNext(DeltaDiscoveryRequest.newBuilder().setNode(node).setTypeUrl(CLUSTER_TYPE).build());
            envoy.requests.onNext(DeltaDiscoveryRequest.newBuilder().setTypeUrl(LISTENER_TYPE).build());
        }
    }

    private void handle(DeltaDiscoveryResponse response) {
        StringBuilder lines = new StringBuilder();
        for (Resource resource : response.getResourcesList()) {
            lines.append(response.getTypeUrl()).append(' ').append(FakeEnvoy.name(resource.getResource())).append('\n');
        }
        if (!lines.isEmpty()) {
            log.accept("received.txt", lines.toString().strip());
        }
        Set<String> named = null;
        try {
            if (response.getTypeUrl().equals(LISTENER_TYPE)) {
                for (Resource resource : response.getResourcesList()) {
                    listeners.put(resource.getName(), resource.getResource().unpack(Listener.class));
                }
                response.getRemovedResourcesList().forEach(listeners::remove);
                named = FakeEnvoySecrets.namedBy(new ArrayList<>(listeners.values()));
            } else if (response.getTypeUrl().equals(FakeEnvoySecrets.SECRET_TYPE)) {
                for (Resource resource : response.getResourcesList()) {
                    FakeEnvoySecrets.write(dir, resource.getResource());
                }
            }
        } catch (Exception e) {
            log.accept("stream-error.txt", "could not read a " + response.getTypeUrl() + ": " + e);
        }
        requests.onNext(DeltaDiscoveryRequest.newBuilder().setTypeUrl(response.getTypeUrl())
                .setResponseNonce(response.getNonce()).build());
        if (named != null && !named.equals(secrets)) {
            // as Envoy: the secrets its listeners name, subscribed to by name
            List<String> subscribe = new ArrayList<>(named);
            subscribe.removeAll(secrets);
            List<String> unsubscribe = new ArrayList<>(secrets);
            unsubscribe.removeAll(named);
            secrets.clear();
            secrets.addAll(named);
            requests.onNext(DeltaDiscoveryRequest.newBuilder().setTypeUrl(FakeEnvoySecrets.SECRET_TYPE)
                    .addAllResourceNamesSubscribe(subscribe).addAllResourceNamesUnsubscribe(unsubscribe).build());
        }
    }
}
