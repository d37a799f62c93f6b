package io.ursa.xds.envoy.clusters;

import static java.util.Objects.requireNonNull;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.ursa.xds.envoy.Configurer;
import java.util.ArrayList;
import java.util.List;

/** Builds a {@link Cluster} from a name and an ordered list of configurers (see {@link ClusterConfigurers}). */
public final class ClusterBuilder {
    private final String name;
    private final List<Configurer<Cluster.Builder>> configurers = new ArrayList<>();

    private ClusterBuilder(String name) {
        this.name = name;
    }

    public static ClusterBuilder named(String name) {
        requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("invalid cluster name: \"\" (expected: a non-empty name)");
        }
        return new ClusterBuilder(name);
    }

    public ClusterBuilder configure(Configurer<Cluster.Builder> configurer) {
        configurers.add(requireNonNull(configurer, "configurer"));
        return this;
    }

    /**
     * Applies the configurers in order. Fails when a STATIC cluster's load assignment is not named after it
     * (Envoy's endpoints would silently belong to another cluster).
     */
    public Cluster build() {
        Cluster.Builder proto = Cluster.newBuilder().setName(name);
        configurers.forEach(c -> c.configure(proto));
        if (!proto.getName().equals(name)) {
            throw new IllegalStateException("cluster " + name + " was renamed to " + proto.getName()
                    + " (expected: builders keep the name)");
        }
        if (proto.getType() == Cluster.DiscoveryType.STATIC
                && !proto.getLoadAssignment().getClusterName().equals(name)) {
            throw new IllegalStateException("STATIC cluster " + name + " has load assignment \""
                    + proto.getLoadAssignment().getClusterName() + "\" (expected: " + name + ")");
        }
        return proto.build();
    }
}
