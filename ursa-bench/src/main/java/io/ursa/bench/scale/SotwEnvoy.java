package io.ursa.bench.scale;

import com.google.protobuf.Any;
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
 * A simulated sidecar speaking state-of-the-world ADS: every response holds all resources of its type; an ACK
 * repeats the response's version and nonce (and, for endpoints, the names subscribed to).
 */
final class SotwEnvoy extends SimulatedEnvoy {
    private final StreamObserver<DiscoveryRequest> requests;
    private final Map<XdsType, String> nonces = new EnumMap<>(XdsType.class);
    private final Map<XdsType, String> versions = new EnumMap<>(XdsType.class);

    SotwEnvoy(int index, String nodeId, String dataplaneJson, Channel channel, Fleet fleet) {
        super(index, nodeId, dataplaneJson, fleet);
        requests = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(responses(this::handle));
        send(DiscoveryRequest.newBuilder().setNode(node).setTypeUrl(XdsType.CDS.typeUrl).build());
        send(DiscoveryRequest.newBuilder().setNode(idOnly).setTypeUrl(XdsType.LDS.typeUrl).build());
    }

    private void handle(DiscoveryResponse response) {
        received(response.getSerializedSize());
        XdsType type = XdsType.of(response.getTypeUrl());
        List<String> names = type == XdsType.EDS ? edsNames : List.of();
        List<String> newEdsNames = type == XdsType.CDS ? edsNames(response) : null;
        versions.put(type, response.getVersionInfo());
        nonces.put(type, response.getNonce());
        send(DiscoveryRequest.newBuilder().setNode(idOnly).setTypeUrl(type.typeUrl).addAllResourceNames(names)
                .setVersionInfo(response.getVersionInfo()).setResponseNonce(response.getNonce()).build());
        if (newEdsNames != null && !newEdsNames.equals(edsNames)) {
            edsNames = newEdsNames;
            send(DiscoveryRequest.newBuilder().setNode(idOnly).setTypeUrl(XdsType.EDS.typeUrl)
                    .addAllResourceNames(edsNames).setVersionInfo(versions.getOrDefault(XdsType.EDS, ""))
                    .setResponseNonce(nonces.getOrDefault(XdsType.EDS, "")).build());
        }
        acknowledged(type, response.getVersionInfo());
    }

    /** The ClusterLoadAssignment names of the response's EDS clusters, sorted. */
    private static List<String> edsNames(DiscoveryResponse response) {
        TreeSet<String> names = new TreeSet<>();
        for (Any any : response.getResourcesList()) {
            String name = edsName(parseCluster(any.getValue()));
            if (name != null) {
                names.add(name);
            }
        }
        return List.copyOf(names);
    }

    private synchronized void send(DiscoveryRequest request) {
        requests.onNext(request);
    }

    @Override
    synchronized void close() {
        requests.onCompleted();
    }
}
