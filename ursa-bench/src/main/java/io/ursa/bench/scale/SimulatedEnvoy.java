package io.ursa.bench.scale;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Channel;
import io.grpc.stub.StreamObserver;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * One simulated Envoy sidecar on an ADS stream, doing what Envoy does with Kuma's bootstrap: it sends its node
 * (id, Dataplane definition, admin port) on the first request, subscribes to all clusters and all listeners, asks
 * for the endpoints of its EDS clusters once it has them, and ACKs every response with its version and nonce.
 * Later requests carry only the node id. It records, per type, the last version it ACKed and when, and the bytes
 * of every response, and reports to its {@link Fleet} when it first holds a whole configuration and when it has
 * ACKed the change a round is waiting for.
 *
 * <p>Threading: gRPC delivers one stream's responses one at a time; each is handled holding this object's lock,
 * which the harness also takes to read the versions.
 */
final class SimulatedEnvoy {
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
    private final Node idOnly;
    private final StreamObserver<DiscoveryRequest> requests;
    private final Map<XdsType, String> acked = new EnumMap<>(XdsType.class);
    private final Map<XdsType, String> nonces = new EnumMap<>(XdsType.class);
    private List<String> edsNames = List.of();
    private volatile long bytesReceived;
    private volatile long responses;
    private volatile boolean configured;
    private volatile Fleet.Round round;

    SimulatedEnvoy(int index, String nodeId, String dataplaneJson, Channel channel, Fleet fleet) {
        this.index = index;
        this.fleet = fleet;
        this.idOnly = Node.newBuilder().setId(nodeId).build();
        Node node = Node.newBuilder().setId(nodeId).setUserAgentName("envoy")
                .setMetadata(Struct.newBuilder()
                        .putFields("dataplane.resource", Value.newBuilder().setStringValue(dataplaneJson).build())
                        .putFields("dataplane.admin.port",
                                Value.newBuilder().setStringValue(Integer.toString(ScaleScenario.ADMIN_PORT)).build()))
                .build();
        requests = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(new Responses());
        send(DiscoveryRequest.newBuilder().setNode(node).setTypeUrl(XdsType.CDS.typeUrl).build());
        send(DiscoveryRequest.newBuilder().setNode(idOnly).setTypeUrl(XdsType.LDS.typeUrl).build());
    }

    private final class Responses implements StreamObserver<DiscoveryResponse> {
        @Override
        public void onNext(DiscoveryResponse response) {
            synchronized (SimulatedEnvoy.this) {
                received(response);
            }
        }

        private void received(DiscoveryResponse response) {
            bytesReceived += response.getSerializedSize();
            responses++;
            XdsType type = XdsType.of(response.getTypeUrl());
            List<String> names = type == XdsType.EDS ? edsNames : List.of();
            List<String> newEdsNames = type == XdsType.CDS ? edsNames(response) : null;
            acked.put(type, response.getVersionInfo());
            nonces.put(type, response.getNonce());
            send(DiscoveryRequest.newBuilder().setNode(idOnly).setTypeUrl(type.typeUrl).addAllResourceNames(names)
                    .setVersionInfo(response.getVersionInfo()).setResponseNonce(response.getNonce()).build());
            if (newEdsNames != null && !newEdsNames.equals(edsNames)) {
                edsNames = newEdsNames;
                send(DiscoveryRequest.newBuilder().setNode(idOnly).setTypeUrl(XdsType.EDS.typeUrl)
                        .addAllResourceNames(edsNames).setVersionInfo(acked.getOrDefault(XdsType.EDS, ""))
                        .setResponseNonce(nonces.getOrDefault(XdsType.EDS, "")).build());
            }
            acknowledged();
        }

        @Override
        public void onError(Throwable t) {
            fleet.failed(index, t);
        }

        @Override
        public void onCompleted() {
            fleet.failed(index, new IllegalStateException("the control plane closed the stream"));
        }
    }

    /** After an ACK: report a first whole configuration, or the end of the current round's wait. */
    private void acknowledged() {
        long now = System.nanoTime();
        if (!configured && acked.containsKey(XdsType.CDS) && acked.containsKey(XdsType.LDS)
                && (edsNames.isEmpty() || acked.containsKey(XdsType.EDS))) {
            configured = true;
            fleet.configured(index, now);
        }
        Fleet.Round current = round;
        if (current != null && current.isWaitingFor(index)) {
            boolean all = true;
            for (XdsType type : current.touched()) {
                all &= !acked.getOrDefault(type, "").equals(current.before(index, type));
            }
            if (all) {
                current.done(index, now);
            }
        } else if (current != null && current.changed(index, acked)) {
            current.unexpected(index);
        }
    }

    /** The ClusterLoadAssignment names of the response's EDS clusters, sorted. */
    private static List<String> edsNames(DiscoveryResponse response) {
        TreeSet<String> names = new TreeSet<>();
        for (Any any : response.getResourcesList()) {
            try {
                Cluster cluster = Cluster.parseFrom(any.getValue());
                if (cluster.getType() == Cluster.DiscoveryType.EDS) {
                    String service = cluster.getEdsClusterConfig().getServiceName();
                    names.add(service.isEmpty() ? cluster.getName() : service);
                }
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("a Cluster that does not parse", e);
            }
        }
        return List.copyOf(names);
    }

    private synchronized void send(DiscoveryRequest request) {
        requests.onNext(request);
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

    synchronized void close() {
        requests.onCompleted();
    }
}
