package io.ursa.bench.scale;

import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.grpc.Channel;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A simulated sidecar speaking incremental ("delta") ADS, as Envoy does with {@code api_type: DELTA_GRPC}: a
 * response holds only the resources added or changed and the names removed, which the sidecar applies to what it
 * holds; it ACKs by nonce, and subscribes to (and unsubscribes from) endpoints by name as its EDS clusters come
 * and go. The version it records per type is the response's {@code system_version_info}.
 */
final class DeltaEnvoy extends SimulatedEnvoy {
    private final StreamObserver<DeltaDiscoveryRequest> requests;
    /** The ClusterLoadAssignment name of each EDS cluster held, by cluster name. */
    private final Map<String, String> edsNameByCluster = new HashMap<>();

    DeltaEnvoy(int index, String nodeId, String dataplaneJson, Channel channel, Fleet fleet) {
        super(index, nodeId, dataplaneJson, fleet);
        requests = AggregatedDiscoveryServiceGrpc.newStub(channel).deltaAggregatedResources(responses(this::handle));
        send(DeltaDiscoveryRequest.newBuilder().setNode(node).setTypeUrl(XdsType.CDS.typeUrl).build());
        send(DeltaDiscoveryRequest.newBuilder().setNode(idOnly).setTypeUrl(XdsType.LDS.typeUrl).build());
    }

    private void handle(DeltaDiscoveryResponse response) {
        received(response.getSerializedSize());
        XdsType type = XdsType.of(response.getTypeUrl());
        send(DeltaDiscoveryRequest.newBuilder().setNode(idOnly).setTypeUrl(type.typeUrl)
                .setResponseNonce(response.getNonce()).build());
        if (type == XdsType.CDS) {
            for (Resource resource : response.getResourcesList()) {
                String eds = edsName(parseCluster(resource.getResource().getValue()));
                if (eds == null) {
                    edsNameByCluster.remove(resource.getName());
                } else {
                    edsNameByCluster.put(resource.getName(), eds);
                }
            }
            response.getRemovedResourcesList().forEach(edsNameByCluster::remove);
            List<String> now = List.copyOf(new TreeSet<>(edsNameByCluster.values()));
            if (!now.equals(edsNames)) {
                List<String> subscribe = new ArrayList<>(now);
                subscribe.removeAll(edsNames);
                List<String> unsubscribe = new ArrayList<>(edsNames);
                unsubscribe.removeAll(now);
                edsNames = now;
                send(DeltaDiscoveryRequest.newBuilder().setNode(idOnly).setTypeUrl(XdsType.EDS.typeUrl)
                        .addAllResourceNamesSubscribe(subscribe).addAllResourceNamesUnsubscribe(unsubscribe).build());
            }
        }
        acknowledged(type, response.getSystemVersionInfo());
    }

    private synchronized void send(DeltaDiscoveryRequest request) {
        requests.onNext(request);
    }

    @Override
    synchronized void close() {
        requests.onCompleted();
    }
}
