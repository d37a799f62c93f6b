package io.ursa.xds.server;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.rpc.Status;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A state-of-the-world ADS client that behaves like Envoy on the wire (node on every request, ACK with version
 * and nonce, NACK with error_detail), for tests of the DP server without an Envoy binary.
 */
final class AdsTestClient implements AutoCloseable {
    private final ManagedChannel channel;
    private final Node node;
    private final BlockingQueue<DiscoveryResponse> responses = new LinkedBlockingQueue<>();
    private final List<DiscoveryResponse> unclaimed = new ArrayList<>();
    private final CompletableFuture<Optional<StatusRuntimeException>> closed = new CompletableFuture<>();
    private final StreamObserver<DiscoveryRequest> requests;
    private boolean nodeOnFirstRequestOnly;
    private boolean sentNode;

    /** A client of a plaintext DP server. */
    AdsTestClient(int port, String nodeId, Map<String, String> metadata, Optional<String> token) {
        this(ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build(), nodeId, metadata, token);
    }

    /** A client on {@code channel} (over TLS, for example); closing the client shuts the channel down. */
    AdsTestClient(ManagedChannel channel, String nodeId, Map<String, String> metadata, Optional<String> token) {
        this.channel = channel;
        node = envoyNode(nodeId, metadata);
        requests = stub(channel, token).streamAggregatedResources(recording(responses, closed));
    }

    /** The node an Envoy with {@code metadata} sends. Shared with {@link DeltaAdsTestClient}. */
    static Node envoyNode(String nodeId, Map<String, String> metadata) {
        Struct.Builder struct = Struct.newBuilder();
        metadata.forEach((k, v) -> struct.putFields(k, Value.newBuilder().setStringValue(v).build()));
        return Node.newBuilder().setId(nodeId).setUserAgentName("envoy").setMetadata(struct).build();
    }

    /** The ADS stub on {@code channel}, sending {@code token} as the {@code authorization} header when given. */
    static AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceStub stub(ManagedChannel channel,
                                                                             Optional<String> token) {
        var stub = AggregatedDiscoveryServiceGrpc.newStub(channel);
        if (token.isEmpty()) {
            return stub;
        }
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), token.get());
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    /** An observer that queues every response and completes {@code closed} with the error that ends the stream. */
    static <R> StreamObserver<R> recording(BlockingQueue<R> into,
                                           CompletableFuture<Optional<StatusRuntimeException>> closed) {
        return new StreamObserver<>() {
            @Override
            public void onNext(R response) {
                into.add(response);
            }

            @Override
            public void onError(Throwable t) {
                closed.complete(Optional.of(t instanceof StatusRuntimeException s ? s
                        : new StatusRuntimeException(io.grpc.Status.fromThrowable(t))));
            }

            @Override
            public void onCompleted() {
                closed.complete(Optional.empty());
            }
        };
    }

    /** Sends the node on the first request only, as Envoy does with {@code set_node_on_first_message_only}. */
    AdsTestClient nodeOnFirstRequestOnly() {
        nodeOnFirstRequestOnly = true;
        return this;
    }

    /** Subscribes to {@code typeUrl} (names empty = wildcard). */
    void subscribe(String typeUrl, List<String> names) {
        requests.onNext(withNode(DiscoveryRequest.newBuilder()).setTypeUrl(typeUrl)
                .addAllResourceNames(names).build());
    }

    private DiscoveryRequest.Builder withNode(DiscoveryRequest.Builder request) {
        if (!nodeOnFirstRequestOnly || !sentNode) {
            request.setNode(node);
            sentNode = true;
        }
        return request;
    }

    /**
     * The next response of {@code typeUrl}. Responses of other types that arrive meanwhile are kept for their own
     * {@code next} call, as ADS may answer subscriptions in any order.
     */
    DiscoveryResponse next(String typeUrl, Duration timeout) throws InterruptedException {
        for (var it = unclaimed.iterator(); it.hasNext(); ) {
            DiscoveryResponse kept = it.next();
            if (kept.getTypeUrl().equals(typeUrl)) {
                it.remove();
                return kept;
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            DiscoveryResponse response = responses.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
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

    void ack(DiscoveryResponse response, List<String> names) {
        requests.onNext(withNode(DiscoveryRequest.newBuilder()).setTypeUrl(response.getTypeUrl())
                .setVersionInfo(response.getVersionInfo()).setResponseNonce(response.getNonce())
                .addAllResourceNames(names).build());
    }

    void nack(DiscoveryResponse response, String previousVersion, String error) {
        requests.onNext(withNode(DiscoveryRequest.newBuilder()).setTypeUrl(response.getTypeUrl())
                .setVersionInfo(previousVersion).setResponseNonce(response.getNonce())
                .setErrorDetail(Status.newBuilder().setCode(3).setMessage(error)).build());
    }

    /** The error that closed the stream, waiting up to {@code timeout}. */
    StatusRuntimeException error(Duration timeout) throws Exception {
        return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .orElseThrow(() -> new AssertionError("the stream completed without an error"));
    }

    @Override
    public void close() {
        if (!channel.isShutdown()) {
            channel.shutdownNow();
        }
    }
}
