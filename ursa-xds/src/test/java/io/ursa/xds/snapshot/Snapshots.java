package io.ursa.xds.snapshot;

import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.ursa.xds.envoy.Protos;
import io.ursa.xds.resources.EnvoyType;
import io.ursa.xds.resources.ResourceSet;

/** Small hand-built resource sets for the snapshot tests. */
final class Snapshots {
    private Snapshots() {
    }

    /**
     * A consistent set: tcp listener {@code tcp} → STATIC cluster {@code static}; listener {@code http} → RDS
     * {@code backend-route} → EDS cluster {@code backend} with its ClusterLoadAssignment.
     */
    static ResourceSet consistent() {
        return ResourceSet.of(
                tcpListener("tcp", "static"),
                staticCluster("static"),
                httpListenerRds("http", "backend-route"),
                routes("backend-route", "backend"),
                edsCluster("backend", ""),
                cla("backend"));
    }

    /** {@code set} with {@code resource} in place of the resource of the same type and name. */
    static ResourceSet replace(ResourceSet set, Message resource) {
        EnvoyType replaced = EnvoyType.of(resource).orElseThrow();
        ResourceSet probe = ResourceSet.of(resource);
        String name = probe.byName(replaced).firstKey();
        ResourceSet.Builder builder = ResourceSet.builder();
        for (EnvoyType type : set.types()) {
            set.byName(type).forEach((n, r) -> builder.add(type == replaced && n.equals(name) ? resource : r));
        }
        return builder.build();
    }

    /** A listener whose tcp_proxy goes to {@code clusters} (weighted when more than one). */
    static Listener tcpListener(String name, String... clusters) {
        TcpProxy.Builder tcp = TcpProxy.newBuilder().setStatPrefix(name);
        if (clusters.length == 1) {
            tcp.setCluster(clusters[0]);
        } else {
            TcpProxy.WeightedCluster.Builder weighted = TcpProxy.WeightedCluster.newBuilder();
            for (String cluster : clusters) {
                weighted.addClusters(TcpProxy.WeightedCluster.ClusterWeight.newBuilder().setName(cluster)
                        .setWeight(1));
            }
            tcp.setWeightedClusters(weighted);
        }
        return listener(name, Filter.newBuilder().setName("envoy.filters.network.tcp_proxy")
                .setTypedConfig(Protos.pack(tcp.build())).build());
    }

    /** A listener whose HCM fetches {@code routeConfig} over ADS. */
    static Listener httpListenerRds(String name, String routeConfig) {
        return hcmListener(name, HttpConnectionManager.newBuilder().setStatPrefix(name).setRds(Rds.newBuilder()
                .setRouteConfigName(routeConfig)
                .setConfigSource(ConfigSource.newBuilder().setAds(AggregatedConfigSource.getDefaultInstance())))
                .build());
    }

    /** A listener whose HCM has an inline route configuration to {@code cluster}. */
    static Listener httpListenerInline(String name, String cluster) {
        return hcmListener(name, HttpConnectionManager.newBuilder().setStatPrefix(name)
                .setRouteConfig(routes(name, cluster)).build());
    }

    /** Routes to {@code cluster}, and a weighted route to it too. */
    static RouteConfiguration routes(String name, String cluster) {
        return RouteConfiguration.newBuilder().setName(name).addVirtualHosts(VirtualHost.newBuilder()
                .setName(name).addDomains("*")
                .addRoutes(Route.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix("/a"))
                        .setRoute(RouteAction.newBuilder().setCluster(cluster)))
                .addRoutes(Route.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix("/"))
                        .setRoute(RouteAction.newBuilder().setWeightedClusters(WeightedCluster.newBuilder()
                                .addClusters(WeightedCluster.ClusterWeight.newBuilder().setName(cluster)
                                        .setWeight(com.google.protobuf.UInt32Value.of(100)))))))
                .build();
    }

    static Cluster edsCluster(String name, String serviceName) {
        Cluster.EdsClusterConfig.Builder eds = Cluster.EdsClusterConfig.newBuilder()
                .setEdsConfig(ConfigSource.newBuilder().setAds(AggregatedConfigSource.getDefaultInstance()));
        if (!serviceName.isEmpty()) {
            eds.setServiceName(serviceName);
        }
        return Cluster.newBuilder().setName(name).setType(Cluster.DiscoveryType.EDS).setEdsClusterConfig(eds).build();
    }

    static Cluster staticCluster(String name) {
        return Cluster.newBuilder().setName(name).setType(Cluster.DiscoveryType.STATIC)
                .setLoadAssignment(cla(name)).build();
    }

    static ClusterLoadAssignment cla(String name) {
        return ClusterLoadAssignment.newBuilder().setClusterName(name)
                .addEndpoints(LocalityLbEndpoints.newBuilder()
                        .setLoadBalancingWeight(com.google.protobuf.UInt32Value.of(1)))
                .build();
    }

    private static Listener hcmListener(String name, HttpConnectionManager hcm) {
        return listener(name, Filter.newBuilder().setName("envoy.filters.network.http_connection_manager")
                .setTypedConfig(Protos.pack(hcm)).build());
    }

    private static Listener listener(String name, Filter filter) {
        return Listener.newBuilder().setName(name).addFilterChains(FilterChain.newBuilder().addFilters(filter))
                .build();
    }
}
