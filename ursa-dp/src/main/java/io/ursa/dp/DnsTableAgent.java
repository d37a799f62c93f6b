package io.ursa.dp;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceStub;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the {@link DnsServer}'s table equal to the control plane's: a state-of-the-world ADS stream to the DP server
 * that subscribes to the one Listener {@value DnsListenerTable#LISTENER_NAME} and reads its DNS filter's inline table
 * ({@link DnsListenerTable}). The stream presents the node of the Envoy bootstrap (id, cluster, metadata unchanged;
 * only the user agent says {@code ursa-dp}), so the control plane sees a second stream of the same proxy and
 * generates the same configuration for both; the token goes in the {@code authorization} header, as Envoy's does;
 * over https the channel is verified as {@link ControlPlaneTrust} says.
 *
 * <p>Each response is checked and ACKed, and the server answers from the new table; a listener that cannot be read
 * is NACKed with the reason and the old table stays. A response without the listener empties the table (the control
 * plane no longer generates it, so Envoy's DNS filter is gone too). When the stream breaks or the control plane is
 * away, the server keeps answering from the last table, and the stream is opened again after a capped exponential
 * back-off; refusals are not final here (Envoy's own stream says why it is refused), they are retried and logged.
 * With several control-plane instances the stream starts at {@code first} and, when it ends, opens again on the next
 * instance at once; the back-off is waited after every instance failed in a row.
 *
 * <p>Threads: the agent's thread ({@link #start}) owns all state, including the request side of the stream
 * ({@link AdsStream}); gRPC's threads only put what they receive into {@code events}; {@link #close()} runs on any
 * thread and puts a stop there.
 */
final class DnsTableAgent implements AutoCloseable {
    static final String LISTENER_TYPE_URL = "type.googleapis.com/envoy.config.listener.v3.Listener";
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    /**
     * What the agent needs.
     *
     * @param controlPlanes the DP servers (one per control-plane instance) and how they are verified
     * @param token        the dataplane token, if any
     * @param node         the node of the Envoy bootstrap
     * @param userAgent    {@code ursa-dp/<version>}, for the gRPC channel
     * @param backoff      how long to wait before opening the stream again
     * @param first        the index of the instance to try first
     */
    record Settings(ControlPlanes controlPlanes, Optional<String> token, Node node, String userAgent,
                    Backoff backoff, int first) {
        Settings {
            requireNonNull(controlPlanes, "controlPlanes");
            if (first < 0 || first >= controlPlanes.size()) {
                throw new IllegalArgumentException("invalid first: " + first + " (expected: 0-"
                        + (controlPlanes.size() - 1) + ")");
            }
            requireNonNull(token, "token");
            requireNonNull(node, "node");
            requireNonNull(userAgent, "userAgent");
            requireNonNull(backoff, "backoff");
        }
    }

    private final Settings settings;
    private final DnsServer server;
    private final Sleeper sleeper;
    private final Logger log;
    private final StopSignal stop = new StopSignal();
    private final BlockingQueue<AdsStream.Event> events = new LinkedBlockingQueue<>();
    private final Thread thread;

    // owned by the agent's thread
    private String lastWarning = "";
    private boolean lost;

    private DnsTableAgent(Settings settings, DnsServer server, Sleeper sleeper, Logger log) {
        this.settings = settings;
        this.server = server;
        this.sleeper = sleeper;
        this.log = log;
        this.thread = new Thread(this::run, "ursa-dp-dns-table");
        this.thread.setDaemon(true);
    }

    /** Starts keeping {@code server}'s table fresh, on a thread of its own, until {@link #close()}. */
    static DnsTableAgent start(Settings settings, DnsServer server, Sleeper sleeper, Logger log) {
        DnsTableAgent agent = new DnsTableAgent(requireNonNull(settings, "settings"), requireNonNull(server, "server"),
                requireNonNull(sleeper, "sleeper"), requireNonNull(log, "log"));
        agent.thread.start();
        return agent;
    }

    /** Closes the stream and waits for the agent's thread to end. */
    @Override
    public void close() {
        stop.request();
        events.add(new AdsStream.Stopped());
        try {
            thread.join(CLOSE_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        List<ControlPlaneAddress> instances = settings.controlPlanes().addresses();
        int count = instances.size();
        ManagedChannel[] channels = new ManagedChannel[count];
        try {
            int failures = 0;
            int next = settings.first();
            for (int attempt = 1; !stop.isRequested(); attempt++) {
                int index = next;
                ControlPlaneAddress cp = instances.get(index);
                String target = target(cp);
                if (channels[index] == null) {
                    channels[index] = Grpc.newChannelBuilderForAddress(cp.host(),
                                    cp.port(GrpcAgentConfig.DEFAULT_DP_SERVER_PORT), AdsStream.credentials(cp))
                            .userAgent(settings.userAgent())
                            .disableRetry() // the agent opens its stream again itself
                            .build();
                }
                AggregatedDiscoveryServiceStub stub = AdsStream.stub(channels[index], settings.token());
                AdsStream stream = new AdsStream(attempt, events);
                String asking = "asking the control plane at " + target + " for the DNS table (Listener "
                        + DnsListenerTable.LISTENER_NAME + ") of " + settings.node().getId();
                if (attempt == 1) {
                    log.info(asking);
                } else {
                    log.fine(asking + " (stream " + attempt + ")");
                }
                stream.open(stub, request("", "", Optional.empty()));
                Optional<Status> ended = stream.serve(this::handle);
                if (ended.isEmpty()) {
                    return; // stopped
                }
                failures = stream.responses() > 0 ? 1 : failures + 1;
                next = (index + 1) % count;
                String ending = "the DNS table stream to " + target + " ended (" + AdsStream.describe(ended.get())
                        + ")";
                if (failures % count != 0) {
                    // an instance not tried in this round: at once
                    log.log(lost ? Level.FINE : Level.INFO, ending + "; trying the instance at "
                            + target(instances.get(next)));
                    continue;
                }
                Duration wait = settings.backoff().delay(failures / count);
                lost = true;
                warnOnce(ending + (count > 1 ? " and no other control plane instance answers" : "")
                        + "; answering from the current table (" + names(server.table()) + ") meanwhile",
                        "; opening it again in " + Durations.format(wait));
                if (!sleeper.sleep(wait, stop)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            for (ManagedChannel channel : channels) {
                if (channel != null) {
                    channel.shutdownNow();
                }
            }
        }
    }

    private static String target(ControlPlaneAddress cp) {
        return hostForUri(cp.host()) + ":" + cp.port(GrpcAgentConfig.DEFAULT_DP_SERVER_PORT);
    }

    private void handle(AdsStream stream, DiscoveryResponse response) {
        if (!response.getTypeUrl().equals(LISTENER_TYPE_URL)) {
            log.fine("ignoring a response of type " + response.getTypeUrl());
            return;
        }
        DnsTable table;
        try {
            table = read(response);
        } catch (DnsListenerTable.InvalidTableException e) {
            warnOnce("rejected DNS table version " + response.getVersionInfo() + ": " + e.getMessage()
                    + "; keeping the current table (" + names(server.table()) + ")", "");
            stream.send(request(stream.acceptedVersion(), response.getNonce(), Optional.of(e.getMessage())));
            return;
        }
        if (!table.equals(server.table())) {
            server.update(table);
            log.info("DNS table version " + response.getVersionInfo() + ": " + names(table));
            log.fine("DNS names: " + table.entries().keySet());
        }
        lastWarning = "";
        lost = false;
        stream.acknowledge(request(response.getVersionInfo(), response.getNonce(), Optional.empty()));
    }

    private static DnsTable read(DiscoveryResponse response) throws DnsListenerTable.InvalidTableException {
        for (Any resource : response.getResourcesList()) {
            Listener listener;
            try {
                listener = resource.unpack(Listener.class);
            } catch (InvalidProtocolBufferException e) {
                throw new DnsListenerTable.InvalidTableException("a resource is not a Listener ("
                        + resource.getTypeUrl() + ")");
            }
            if (listener.getName().equals(DnsListenerTable.LISTENER_NAME)) {
                return DnsListenerTable.parse(listener);
            }
        }
        return DnsTable.EMPTY;
    }

    /** Logs {@code message} as a warning unless it was the last one said; {@code detail} does not count. */
    private void warnOnce(String message, String detail) {
        if (message.equals(lastWarning)) {
            log.fine(message + detail);
        } else {
            log.warning(message + detail);
        }
        lastWarning = message;
    }

    private DiscoveryRequest request(String version, String nonce, Optional<String> error) {
        return AdsStream.request(settings.node(), LISTENER_TYPE_URL, List.of(DnsListenerTable.LISTENER_NAME), version,
                nonce, error);
    }

    private static String hostForUri(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    private static String names(DnsTable table) {
        return table.size() == 1 ? "1 name" : table.size() + " names";
    }
}
