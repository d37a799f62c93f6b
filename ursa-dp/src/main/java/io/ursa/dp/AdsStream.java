package io.ursa.dp;

import static java.util.Objects.requireNonNull;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceStub;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.function.BiConsumer;

/**
 * One state-of-the-world ADS stream that the agent holds itself (grpc-agent's certificate stream, run's DNS table
 * stream), with what both need around it: the channel credentials ({@link ControlPlaneTrust} over https), the
 * {@code authorization} header, requests that ACK or NACK, and a loop that hands each response to its owner.
 *
 * <p>Threads: a stream is opened, written to and cancelled by its owner's thread only; gRPC's threads only put what
 * arrives into the owner's {@code events} queue, tagged with the stream's id, so events of a stream that is over are
 * told apart and dropped. A {@link Stopped} put there by any thread ends {@link #serve}.
 */
final class AdsStream {
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    /** What the owner's queue holds. */
    sealed interface Event permits Received, Ended, Stopped {
    }

    record Received(int stream, DiscoveryResponse response) implements Event {
    }

    record Ended(int stream, Status status) implements Event {
    }

    /** Put by {@code stopOnSignal}/{@code close} to end {@link #serve}. */
    record Stopped() implements Event {
    }

    private final int id;
    private final BlockingQueue<Event> events;
    private int responses;
    private String acceptedVersion = "";
    private ClientCallStreamObserver<DiscoveryRequest> requests;

    AdsStream(int id, BlockingQueue<Event> events) {
        this.id = id;
        this.events = requireNonNull(events, "events");
    }

    /** TLS verified as {@code cp} says for https; plaintext for http. */
    static ChannelCredentials credentials(ControlPlaneAddress cp) {
        return cp.tls()
                .map(trust -> TlsChannelCredentials.newBuilder().trustManager(trust.trustManager()).build())
                .orElseGet(InsecureChannelCredentials::create);
    }

    /** An ADS stub on {@code channel} that sends {@code authorization: Bearer <token>} when there is a token. */
    static AggregatedDiscoveryServiceStub stub(ManagedChannel channel, Optional<String> token) {
        AggregatedDiscoveryServiceStub stub = AggregatedDiscoveryServiceGrpc.newStub(channel);
        if (token.isEmpty()) {
            return stub;
        }
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + token.get());
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    /** A request for {@code names}: the first (empty version and nonce), an ACK, or with {@code error} a NACK. */
    static DiscoveryRequest request(Node node, String typeUrl, List<String> names, String version, String nonce,
                                    Optional<String> error) {
        DiscoveryRequest.Builder request = DiscoveryRequest.newBuilder()
                .setNode(node)
                .setTypeUrl(typeUrl)
                .addAllResourceNames(names)
                .setVersionInfo(version)
                .setResponseNonce(nonce);
        error.ifPresent(reason -> request.setErrorDetail(com.google.rpc.Status.newBuilder()
                .setCode(Status.Code.INVALID_ARGUMENT.value())
                .setMessage(reason)));
        return request.build();
    }

    /** {@code UNAVAILABLE: io exception (Connection refused)}, with a hint when the server has no ADS. */
    static String describe(Status status) {
        StringBuilder text = new StringBuilder(status.getCode().name());
        if (status.getDescription() != null) {
            text.append(": ").append(status.getDescription());
        }
        if (status.getCause() != null && status.getCause().getMessage() != null) {
            text.append(" (").append(status.getCause().getMessage()).append(')');
        }
        if (status.getCode() == Status.Code.UNIMPLEMENTED) {
            text.append("; is --cp-address the control plane's DP server (port 5678 by default)?");
        }
        return text.toString();
    }

    int id() {
        return id;
    }

    /** How many responses this stream received. */
    int responses() {
        return responses;
    }

    /** The version last ACKed on this stream ("" before the first), which a NACK names. */
    String acceptedVersion() {
        return acceptedVersion;
    }

    /** Opens the stream and sends {@code first}. */
    void open(AggregatedDiscoveryServiceStub stub, DiscoveryRequest first) {
        stub.streamAggregatedResources(new ClientResponseObserver<DiscoveryRequest, DiscoveryResponse>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<DiscoveryRequest> requestStream) {
                requests = requestStream;
            }

            @Override
            public void onNext(DiscoveryResponse response) {
                events.add(new Received(id, response));
            }

            @Override
            public void onError(Throwable t) {
                events.add(new Ended(id, Status.fromThrowable(t)));
            }

            @Override
            public void onCompleted() {
                events.add(new Ended(id, Status.UNAVAILABLE.withDescription("the control plane closed the stream")));
            }
        });
        send(first);
    }

    /** Sends {@code ack} and remembers its version as the one in use, which later NACKs name. */
    void acknowledge(DiscoveryRequest ack) {
        acceptedVersion = ack.getVersionInfo();
        send(ack);
    }

    void send(DiscoveryRequest request) {
        requests.onNext(request);
    }

    /**
     * Hands each response of this stream to {@code handler} until the stream ends (its status) or a stop (empty,
     * the stream is cancelled).
     */
    Optional<Status> serve(BiConsumer<AdsStream, DiscoveryResponse> handler) throws InterruptedException {
        while (true) {
            Event event = events.take();
            if (event instanceof Stopped) {
                requests.cancel("the agent is stopping", null);
                return Optional.empty();
            }
            if (event instanceof Received received && received.stream() == id) {
                responses++;
                handler.accept(this, received.response());
            } else if (event instanceof Ended ended && ended.stream() == id) {
                return Optional.of(ended.status());
            }
            // anything else belongs to a stream that is already over
        }
    }
}
