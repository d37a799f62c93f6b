package io.ursa.xds.generator;

import com.google.protobuf.UInt32Value;
import com.google.protobuf.UInt64Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.ursa.api.policy.TrafficRouteSpec;
import io.ursa.xds.envoy.Configurer;
import java.util.Locale;

/**
 * A TrafficRoute's {@code conf.loadBalancer} on a cluster ({@code kuma-2.0-envoy-config.md} §3.6): none or
 * {@code roundRobin} leave {@code ROUND_ROBIN} (the zero value); the others set the policy and its config.
 */
final class LoadBalancerConfigurers {
    private LoadBalancerConfigurers() {
    }

    static Configurer<Cluster.Builder> of(TrafficRouteSpec.LoadBalancer lb) {
        if (lb == null || lb.roundRobin() != null) {
            return cluster -> cluster.setLbPolicy(Cluster.LbPolicy.ROUND_ROBIN);
        }
        if (lb.leastRequest() != null) {
            int choiceCount = lb.leastRequest().choiceCount();
            return cluster -> {
                cluster.setLbPolicy(Cluster.LbPolicy.LEAST_REQUEST);
                if (choiceCount > 0) {
                    cluster.setLeastRequestLbConfig(Cluster.LeastRequestLbConfig.newBuilder()
                            .setChoiceCount(UInt32Value.of(choiceCount)));
                }
            };
        }
        if (lb.ringHash() != null) {
            Cluster.RingHashLbConfig.Builder config = Cluster.RingHashLbConfig.newBuilder();
            TrafficRouteSpec.RingHash ringHash = lb.ringHash();
            if (!ringHash.hashFunction().isEmpty()) {
                config.setHashFunction(Cluster.RingHashLbConfig.HashFunction.valueOf(
                        ringHash.hashFunction().toUpperCase(Locale.ROOT)));
            }
            if (ringHash.minRingSize() > 0) {
                config.setMinimumRingSize(UInt64Value.of(ringHash.minRingSize()));
            }
            if (ringHash.maxRingSize() > 0) {
                config.setMaximumRingSize(UInt64Value.of(ringHash.maxRingSize()));
            }
            Cluster.RingHashLbConfig ring = config.build();
            return cluster -> cluster.setLbPolicy(Cluster.LbPolicy.RING_HASH).setRingHashLbConfig(ring);
        }
        if (lb.random() != null) {
            return cluster -> cluster.setLbPolicy(Cluster.LbPolicy.RANDOM);
        }
        if (lb.maglev() != null) {
            return cluster -> cluster.setLbPolicy(Cluster.LbPolicy.MAGLEV);
        }
        return cluster -> cluster.setLbPolicy(Cluster.LbPolicy.ROUND_ROBIN);
    }
}
