package io.ursa.bench.scale;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.grpc.Channel;
import io.grpc.stub.StreamObserver;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One simulated Envoy sidecar on an ADS stream, doing what Envoy does with Kuma's bootstrap: it sends its node
 * (id, Dataplane definition, admin port) on the first request, subscribes to all clusters and all listeners, asks
 * for the endpoints of its EDS clusters once it has them, and ACKs every response. Later requests carry only the
 * node id. It records, per type, the last version it ACKed, and the bytes of every response, and reports to its
 * {@link Fleet} when it first holds a whole configuration and when it has ACKed the change a round is waiting for.
 * How it speaks is its subclass's: state of the world ({@link SotwEnvoy}) or incremental ({@link DeltaEnvoy}).
 *
 * <p>Threading: gRPC delivers one stream's responses one at a time; each is handled holding this object's lock,
 * which the harness also takes to read the versions.
 */
abstract class SimulatedEnvoy {
    /** The types a sidecar subscribes to, in the order Envoy asks for them. */
    enum XdsType {
        CDS("type.googleapis.com/envoy.config.cluster.v3.Cluster"),
        EDS("type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment"),
        LDS("type.googleapis.com/envoy.config.listener.v3.Listener");

        final String typeUrl;

        XdsType(String typeUrl) {
            this.typeUrl = typeUrl;
        }

        static XdsType of(String typeUrl) {
            for (XdsType type : values()) {
                if (type.typeUrl.equals(typeUrl)) {
                    return type;
                }
            }
            throw new IllegalStateException("a response of a type never asked for: " + typeUrl);
        }
    }

    private final int index;
    private final Fleet fleet;
    /** The node with only its id, for every request after the first. */
    protected final Node idOnly;
    /** The whole node, for the first request. */
    protected final Node node;
    private final Map<XdsType, String> acked = new EnumMap<>(XdsType.class);
    /** The ClusterLoadAssignment names the proxy subscribes to (those of its EDS clusters), sorted. */
    protected List<String> edsNames = List.of();
    private volatile long bytesReceived;
    private volatile long responses;
    private volatile boolean configured;
    private volatile Fleet.Round round;

    SimulatedEnvoy(int index, String nodeId, String dataplaneJson, Fleet fleet) {
        this.index = index;
        this.fleet = fleet;
        this.idOnly = Node.newBuilder().setId(nodeId).build();
        this.node = Node.newBuilder().setId(nodeId).setUserAgentName("envoy")
                .setMetadata(Struct.newBuilder()
                        .putFields("dataplane.resource", Value.newBuilder().setStringValue(dataplaneJson).build())
                        .putFields("dataplane.admin.port",
                                Value.newBuilder().setStringValue(Integer.toString(ScaleScenario.ADMIN_PORT)).build()))
                .build();
    }

    /** A sidecar speaking {@code protocol} on {@code channel}; its stream opens at once. */
    static SimulatedEnvoy connect(XdsProtocol protocol, int index, String nodeId, String dataplaneJson,
                                  Channel channel, Fleet fleet) {
        return switch (protocol) {
            case SOTW -> new SotwEnvoy(index, nodeId, dataplaneJson, channel, fleet);
            case DELTA -> new DeltaEnvoy(index, nodeId, dataplaneJson, channel, fleet);
        };
    }

    /**
     * The observer of the stream's responses: each is handled by {@code handler} holding this object's lock; an error
     * or the end of the stream fails the proxy.
     */
    protected <R> StreamObserver<R> responses(Consumer<R> handler) {
        return new StreamObserver<>() {
            @Override
            public void onNext(R response) {
                synchronized (SimulatedEnvoy.this) {
                    handler.accept(response);
                }
            }

            @Override
            public void onError(Throwable t) {
                failed(t);
            }

            @Override
            public void onCompleted() {
                failed(new IllegalStateException("the control plane closed the stream"));
            }
        };
    }

    /** Counts a response of {@code bytes}; call holding the lock, before handling it. */
    protected void received(long bytes) {
        bytesReceived += bytes;
        responses++;
    }

    /** Records that {@code version} of {@code type} is ACKed, and reports what that completes. */
    protected void acknowledged(XdsType type, String version) {
        acked.put(type, version);
        long now = System.nanoTime();
        if (!configured && acked.containsKey(XdsType.CDS) && acked.containsKey(XdsType.LDS)
                && (edsNames.isEmpty() || acked.containsKey(XdsType.EDS))) {
            configured = true;
            fleet.configured(index, now);
        }
        Fleet.Round current = round;
        if (current != null && current.isWaitingFor(index)) {
            boolean all = true;
            for (XdsType touched : current.touched()) {
                all &= !acked.getOrDefault(touched, "").equals(current.before(index, touched));
            }
            if (all) {
                current.done(index, now);
            }
        } else if (current != null && current.changed(index, acked)) {
            current.unexpected(index);
        }
    }

    /** The stream failed or was closed by the control plane. */
    private void failed(Throwable cause) {
        fleet.failed(index, cause);
    }

    /** The ClusterLoadAssignment name of {@code cluster} when it is an EDS cluster, else null. */
    protected static String edsName(Cluster cluster) {
        if (cluster.getType() != Cluster.DiscoveryType.EDS) {
            return null;
        }
        String service = cluster.getEdsClusterConfig().getServiceName();
        return service.isEmpty() ? cluster.getName() : service;
    }

    protected static Cluster parseCluster(com.google.protobuf.ByteString bytes) {
        try {
            return Cluster.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a Cluster that does not parse", e);
        }
    }

    /** The version last ACKed of {@code type}, "" before the first; read by the harness between rounds. */
    synchronized String acked(XdsType type) {
        return acked.getOrDefault(type, "");
    }

    /** Starts waiting for {@code round}; the harness calls it before the change is written. */
    void watch(Fleet.Round round) {
        this.round = round;
    }

    long bytesReceived() {
        return bytesReceived;
    }

    long responses() {
        return responses;
    }

    /** Ends the stream. */
    abstract void close();
}
