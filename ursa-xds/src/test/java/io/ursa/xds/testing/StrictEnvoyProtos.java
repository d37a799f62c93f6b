package io.ursa.xds.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.trace.v3.DatadogConfig;
import io.envoyproxy.envoy.config.trace.v3.Tracing;
import io.envoyproxy.envoy.config.trace.v3.ZipkinConfig;
import io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.http.grpc_stats.v3.FilterConfig;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.ursa.xds.resources.EnvoyType;
import io.ursa.xds.resources.ResourceSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Stands in for Envoy, which cannot run here: checks generated resources strictly against Envoy's v3 protos
 * and against the structural invariants of {@code kuma-2.0-envoy-config.md} §9.
 *
 * <p>Add every new {@code typed_config} message to {@link #KNOWN_TYPES}; an {@code Any} of any other type fails.
 */
public final class StrictEnvoyProtos {
    /** Every message Ursa may put in an {@code Any}, plus the xDS resource types themselves. */
    private static final List<Message> KNOWN_TYPES = List.of(
            Cluster.getDefaultInstance(),
            ClusterLoadAssignment.getDefaultInstance(),
            Listener.getDefaultInstance(),
            RouteConfiguration.getDefaultInstance(),
            Secret.getDefaultInstance(),
            TcpProxy.getDefaultInstance(),
            HttpConnectionManager.getDefaultInstance(),
            Router.getDefaultInstance(),
            io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault.getDefaultInstance(),
            io.envoyproxy.envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit.getDefaultInstance(),
            FilterConfig.getDefaultInstance(),
            HttpProtocolOptions.getDefaultInstance(),
            TlsInspector.getDefaultInstance(),
            UpstreamTlsContext.getDefaultInstance(),
            DownstreamTlsContext.getDefaultInstance(),
            io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.getDefaultInstance(),
            io.envoyproxy.envoy.extensions.filters.network.local_ratelimit.v3.LocalRateLimit.getDefaultInstance(),
            io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.getDefaultInstance(),
            FileAccessLog.getDefaultInstance(),
            ZipkinConfig.getDefaultInstance(),
            DatadogConfig.getDefaultInstance(),
            io.envoyproxy.envoy.extensions.filters.udp.dns_filter.v3.DnsFilterConfig.getDefaultInstance(),
            io.envoyproxy.envoy.extensions.network.dns_resolver.cares.v3.CaresDnsResolverConfig.getDefaultInstance(),
            io.envoyproxy.envoy.extensions.filters.http.compressor.v3.Compressor.getDefaultInstance(),
            io.envoyproxy.envoy.extensions.compression.gzip.compressor.v3.Gzip.getDefaultInstance(),
            io.envoyproxy.envoy.extensions.filters.network.connection_limit.v3.ConnectionLimit.getDefaultInstance());

    private static final Map<String, Message> BY_TYPE_URL = KNOWN_TYPES.stream().collect(Collectors.toMap(
            m -> "type.googleapis.com/" + m.getDescriptorForType().getFullName(), Function.identity()));

    private static final JsonFormat.TypeRegistry REGISTRY = JsonFormat.TypeRegistry.newBuilder()
            .add(KNOWN_TYPES.stream().map(Message::getDescriptorForType).toList())
            .build();

    private StrictEnvoyProtos() {
    }

    /** A printer that knows every typed config Ursa uses. */
    public static JsonFormat.Printer printer() {
        return JsonFormat.printer().usingTypeRegistry(REGISTRY);
    }

    /** Runs {@link #assertRoundTrips} and {@link #assertInvariants}. */
    public static void check(ResourceSet resources) {
        check(resources, Set.of());
    }

    /**
     * Like {@link #check(ResourceSet)}, but the clusters in {@code absentByDesign} may be referenced without
     * existing, and must not exist. The one intended case (§4, §9) is {@code outbound:passthrough:*} in a mesh
     * with passthrough off, whose catch-all listener names a cluster that is never generated.
     */
    public static void check(ResourceSet resources, Set<String> absentByDesign) {
        assertRoundTrips(resources);
        assertInvariants(resources, absentByDesign);
    }

    /**
     * Every resource prints as proto JSON and parses back (unknown fields are errors) to an equal message, and
     * every {@code Any} inside it, at any depth, unpacks to a known type.
     */
    public static void assertRoundTrips(ResourceSet resources) {
        JsonFormat.Parser strict = JsonFormat.parser().usingTypeRegistry(REGISTRY);
        for (EnvoyType type : resources.types()) {
            resources.byName(type).forEach((name, resource) -> {
                try {
                    String json = printer().print(resource);
                    Message.Builder parsed = resource.newBuilderForType();
                    strict.merge(json, parsed);
                    assertThat(parsed.build()).as("%s %s after a JSON round trip", type, name).isEqualTo(resource);
                } catch (InvalidProtocolBufferException e) {
                    fail(type + " " + name + " does not round-trip through proto JSON: " + e.getMessage(), e);
                }
                assertAnysKnown(resource, type + " " + name, BY_TYPE_URL);
            });
        }
    }

    /** Every {@code Any} anywhere in {@code root} is one of {@code knownTypes} and unpacks to it. */
    public static void assertAnysUnpack(Message root, String path, List<? extends Message> knownTypes) {
        assertAnysKnown(root, path, knownTypes.stream().collect(Collectors.toMap(
                m -> "type.googleapis.com/" + m.getDescriptorForType().getFullName(), m -> (Message) m)));
    }

    private static void assertAnysKnown(Message message, String path, Map<String, Message> byTypeUrl) {
        if (message instanceof Any any) {
            Message prototype = byTypeUrl.get(any.getTypeUrl());
            if (prototype == null) {
                fail(path + " holds an Any of unknown type " + any.getTypeUrl() + " (expected one of: "
                        + new TreeSet<>(byTypeUrl.keySet()) + ")");
            }
            try {
                assertAnysKnown(any.unpack(prototype.getClass()), path + "<" + any.getTypeUrl() + ">", byTypeUrl);
            } catch (InvalidProtocolBufferException e) {
                fail(path + " holds an Any that does not unpack to " + any.getTypeUrl(), e);
            }
            return;
        }
        for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
            if (field.getKey().getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
                continue;
            }
            String fieldPath = path + "." + field.getKey().getName();
            if (field.getKey().isRepeated()) {
                List<?> values = (List<?>) field.getValue();
                for (int i = 0; i < values.size(); i++) {
                    assertAnysKnown((Message) values.get(i), fieldPath + "[" + i + "]", byTypeUrl);
                }
            } else {
                assertAnysKnown((Message) field.getValue(), fieldPath, byTypeUrl);
            }
        }
    }

    /**
     * The structural invariants Envoy would otherwise enforce (§9): every network, listener and HTTP filter, access
     * log, tracing provider and transport socket has a name and a typed config; every HCM ends with the router; a
     * STATIC or STRICT_DNS cluster's load assignment is named after it; every cluster a tcp_proxy, route or tracing
     * provider (collector cluster) names exists in the set, and so does every route configuration an API listener
     * fetches over RDS; every EDS cluster has exactly one
     * ClusterLoadAssignment of its name and there is no other (ADS would withhold EDS otherwise, §8.4). Mesh mTLS
     * (§9): every SDS secret a listener or cluster names exists (Envoy would keep it warming otherwise); a network
     * RBAC filter is the first filter of its chain; a listener whose chains match on transport protocol or ALPN has
     * the {@code tls_inspector}; a TLS transport socket or HTTP RBAC filter has a name and a typed config.
     */
    public static void assertInvariants(ResourceSet resources) {
        assertInvariants(resources, Set.of());
    }

    /**
     * {@link #assertInvariants(ResourceSet)}, except that references to the clusters of {@code absentByDesign}
     * need not resolve; those clusters must be absent. Also: an ORIGINAL_DST cluster has
     * {@code lbPolicy: CLUSTER_PROVIDED} and no load assignment, and no two listeners bound to a port (bindToPort
     * not false) share an address and port.
     */
    public static void assertInvariants(ResourceSet resources, Set<String> absentByDesign) {
        Set<String> clusters = new TreeSet<>(resources.byName(EnvoyType.CLUSTER).keySet());
        for (String absent : absentByDesign) {
            assertThat(clusters).as("clusters, which must not hold %s (it is absent by design)", absent)
                    .doesNotContain(absent);
        }
        clusters.addAll(absentByDesign);
        Set<String> boundAddresses = new TreeSet<>();
        for (Listener listener : resources.resources(Listener.class)) {
            boolean bound = !listener.hasBindToPort() || listener.getBindToPort().getValue();
            if (bound && listener.hasAddress() && listener.getAddress().hasSocketAddress()) {
                var socket = listener.getAddress().getSocketAddress();
                assertThat(boundAddresses.add(socket.getAddress() + " " + socket.getPortValue()))
                        .as("%s binds %s:%s, which another listener binds too", listener.getName(),
                                socket.getAddress(), socket.getPortValue())
                        .isTrue();
            }
        }
        List<String> referenced = new ArrayList<>();
        for (Listener listener : resources.resources(Listener.class)) {
            listener.getListenerFiltersList().forEach(f -> assertNamedAndTyped(f.getName(), f.hasTypedConfig(),
                    "listener filter", listener.getName()));
            boolean closesEverything = listener.getFilterChainsList().equals(List.of(FilterChain.getDefaultInstance()));
            for (FilterChain chain : listener.getFilterChainsList()) {
                // One empty chain is Kuma's outbound of an unrouted service: Envoy closes each connection
                if (!closesEverything) {
                    assertThat(chain.getFiltersList()).as("filters of %s", listener.getName()).isNotEmpty();
                }
                for (Filter filter : chain.getFiltersList()) {
                    assertThat(filter.getName()).as("a filter name in %s", listener.getName()).isNotEmpty();
                    assertThat(filter.hasTypedConfig()).as("typed config of %s in %s", filter.getName(),
                            listener.getName()).isTrue();
                    referenced.addAll(clustersOf(filter, listener.getName()));
                }
            }
            if (listener.hasApiListener()) {
                HttpConnectionManager hcm = apiListenerHcm(listener);
                referenced.addAll(clustersOf(hcm, listener.getName()));
                if (hcm.hasRds()) {
                    assertThat(resources.byName(EnvoyType.ROUTE_CONFIGURATION).keySet())
                            .as("route configurations (%s fetches one over RDS)", listener.getName())
                            .contains(hcm.getRds().getRouteConfigName());
                }
            }
        }
        for (RouteConfiguration routes : resources.resources(RouteConfiguration.class)) {
            referenced.addAll(clustersOf(routes));
        }
        assertMtlsShapes(resources);
        assertThat(clusters).as("clusters referenced by tcp_proxy filters and routes").containsAll(referenced);
        Set<String> edsNames = new TreeSet<>();
        for (Cluster cluster : resources.resources(Cluster.class)) {
            cluster.getTransportSocketMatchesList().forEach(m -> assertNamedAndTyped(m.getTransportSocket().getName(),
                    m.getTransportSocket().hasTypedConfig(), "transport socket", "cluster " + cluster.getName()));
            if (cluster.getType() == Cluster.DiscoveryType.STRICT_DNS) {
                assertThat(cluster.getLoadAssignment().getClusterName())
                        .as("load assignment name of STRICT_DNS cluster %s", cluster.getName())
                        .isEqualTo(cluster.getName());
            }
            if (cluster.getType() == Cluster.DiscoveryType.EDS) {
                assertThat(cluster.hasLoadAssignment()).as("load assignment of EDS cluster %s", cluster.getName())
                        .isFalse();
                String service = cluster.getEdsClusterConfig().getServiceName();
                edsNames.add(service.isEmpty() ? cluster.getName() : service);
            }
            if (cluster.getType() == Cluster.DiscoveryType.ORIGINAL_DST) {
                assertThat(cluster.getLbPolicy()).as("lbPolicy of ORIGINAL_DST cluster %s", cluster.getName())
                        .isEqualTo(Cluster.LbPolicy.CLUSTER_PROVIDED);
                assertThat(cluster.hasLoadAssignment())
                        .as("load assignment of ORIGINAL_DST cluster %s", cluster.getName()).isFalse();
            }
            if (cluster.getType() == Cluster.DiscoveryType.STATIC) {
                assertThat(cluster.getLoadAssignment().getClusterName())
                        .as("load assignment name of STATIC cluster %s", cluster.getName())
                        .isEqualTo(cluster.getName());
            }
        }
        assertThat(resources.byName(EnvoyType.CLUSTER_LOAD_ASSIGNMENT).keySet())
                .as("ClusterLoadAssignments (expected: exactly one per EDS cluster)")
                .containsExactlyInAnyOrderElementsOf(edsNames);
        for (ClusterLoadAssignment cla : resources.resources(ClusterLoadAssignment.class)) {
            cla.getEndpointsList().forEach(group -> assertThat(group.getLoadBalancingWeight().getValue())
                    .as("locality weight in %s (gRPC drops a locality without one)", cla.getClusterName())
                    .isPositive());
        }
    }

    /** The mTLS invariants of {@link #assertInvariants(ResourceSet)}. */
    private static void assertMtlsShapes(ResourceSet resources) {
        Set<String> sdsNames = new TreeSet<>();
        for (Listener listener : resources.resources(Listener.class)) {
            boolean matchesTls = false;
            for (FilterChain chain : listener.getFilterChainsList()) {
                var match = chain.getFilterChainMatch();
                matchesTls |= !match.getTransportProtocol().isEmpty() || match.getApplicationProtocolsCount() > 0;
                if (chain.hasTransportSocket()) {
                    assertNamedAndTyped(chain.getTransportSocket().getName(),
                            chain.getTransportSocket().hasTypedConfig(), "transport socket", listener.getName());
                }
                for (int i = 0; i < chain.getFiltersCount(); i++) {
                    if (chain.getFilters(i).getName().equals("envoy.filters.network.rbac")) {
                        assertThat(i).as("position of the network RBAC filter in a chain of %s", listener.getName())
                                .isZero();
                    }
                }
            }
            if (matchesTls) {
                assertThat(listener.getListenerFiltersList()).as("listener filters of %s, whose chains match on TLS",
                        listener.getName()).extracting(f -> f.getName())
                        .contains("envoy.filters.listener.tls_inspector");
            }
            sdsNames.addAll(sdsSecretsIn(listener));
        }
        for (Cluster cluster : resources.resources(Cluster.class)) {
            if (cluster.hasTransportSocket()) {
                assertNamedAndTyped(cluster.getTransportSocket().getName(), cluster.getTransportSocket()
                        .hasTypedConfig(), "transport socket", "cluster " + cluster.getName());
            }
            sdsNames.addAll(sdsSecretsIn(cluster));
        }
        assertThat(resources.byName(EnvoyType.SECRET).keySet()).as("secrets (referenced over SDS: %s)", sdsNames)
                .containsAll(sdsNames);
    }

    /** The names of every {@code SdsSecretConfig} anywhere in {@code message}, inside {@code Any}s too. */
    public static Set<String> sdsSecretsIn(Message message) {
        Set<String> names = new TreeSet<>();
        collectSds(message, names);
        return names;
    }

    private static void collectSds(Message message, Set<String> names) {
        if (message instanceof SdsSecretConfig sds) {
            names.add(sds.getName());
            return;
        }
        if (message instanceof Any any) {
            Message prototype = BY_TYPE_URL.get(any.getTypeUrl());
            if (prototype != null) {
                try {
                    collectSds(any.unpack(prototype.getClass()), names);
                } catch (InvalidProtocolBufferException e) {
                    throw new AssertionError("an Any does not unpack to " + any.getTypeUrl(), e);
                }
            }
            return;
        }
        for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
            if (field.getKey().getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
                continue;
            }
            if (field.getKey().isRepeated()) {
                ((List<?>) field.getValue()).forEach(value -> collectSds((Message) value, names));
            } else {
                collectSds((Message) field.getValue(), names);
            }
        }
    }

    private static List<String> clustersOf(Filter filter, String listener) {
        try {
            Any config = filter.getTypedConfig();
            if (config.is(TcpProxy.class)) {
                TcpProxy tcp = config.unpack(TcpProxy.class);
                if (tcp.hasWeightedClusters()) {
                    return tcp.getWeightedClusters().getClustersList().stream()
                            .map(TcpProxy.WeightedCluster.ClusterWeight::getName).toList();
                }
                tcp.getAccessLogList().forEach(log -> assertNamedAndTyped(log.getName(), log.hasTypedConfig(),
                        "access log", listener));
                return List.of(tcp.getCluster());
            }
            if (config.is(HttpConnectionManager.class)) {
                HttpConnectionManager hcm = config.unpack(HttpConnectionManager.class);
                hcm.getAccessLogList().forEach(log -> assertNamedAndTyped(log.getName(), log.hasTypedConfig(),
                        "access log", listener));
                List<String> names = new ArrayList<>(clustersOf(hcm, listener));
                if (hcm.hasTracing()) {
                    names.add(collectorCluster(hcm.getTracing().getProvider(), listener));
                }
                return names;
            }
            return List.of();
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("filter " + filter.getName() + " of " + listener + " does not unpack", e);
        }
    }

    /** The collector cluster of a tracing provider, which Envoy requires to exist. */
    private static String collectorCluster(Tracing.Http provider, String listener)
            throws InvalidProtocolBufferException {
        assertNamedAndTyped(provider.getName(), provider.hasTypedConfig(), "tracing provider", listener);
        Any config = provider.getTypedConfig();
        if (config.is(ZipkinConfig.class)) {
            return config.unpack(ZipkinConfig.class).getCollectorCluster();
        }
        if (config.is(DatadogConfig.class)) {
            return config.unpack(DatadogConfig.class).getCollectorCluster();
        }
        throw new AssertionError("tracing provider " + provider.getName() + " of " + listener + " has config "
                + config.getTypeUrl() + " (expected: ZipkinConfig or DatadogConfig)");
    }

    private static void assertNamedAndTyped(String name, boolean hasTypedConfig, String what, String listener) {
        assertThat(name).as("the name of a %s in %s", what, listener).isNotEmpty();
        assertThat(hasTypedConfig).as("typed config of %s %s in %s", what, name, listener).isTrue();
    }

    /** Checks the HTTP filters of {@code hcm} (router last, typed configs) and returns its inline route clusters. */
    private static List<String> clustersOf(HttpConnectionManager hcm, String listener) {
        List<HttpFilter> httpFilters = hcm.getHttpFiltersList();
        assertThat(httpFilters).as("HTTP filters of %s", listener).isNotEmpty();
        assertThat(httpFilters.get(httpFilters.size() - 1).getName())
                .as("last HTTP filter of %s", listener).isEqualTo("envoy.filters.http.router");
        httpFilters.forEach(f -> assertThat(f.hasTypedConfig())
                .as("typed config of %s in %s", f.getName(), listener).isTrue());
        assertThat(hcm.hasRouteConfig() || hcm.hasRds())
                .as("HTTP connection manager of %s has an inline route configuration or RDS", listener).isTrue();
        return clustersOf(hcm.getRouteConfig());
    }

    /** The HTTP connection manager of an API listener (proxyless gRPC), which has no filter chain or address. */
    private static HttpConnectionManager apiListenerHcm(Listener listener) {
        assertThat(listener.getFilterChainsList()).as("filter chains of API listener %s", listener.getName())
                .isEmpty();
        assertThat(listener.hasAddress()).as("address of API listener %s", listener.getName()).isFalse();
        try {
            return listener.getApiListener().getApiListener().unpack(HttpConnectionManager.class);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("the API listener " + listener.getName()
                    + " does not hold an HTTP connection manager", e);
        }
    }

    private static List<String> clustersOf(RouteConfiguration routes) {
        List<String> names = new ArrayList<>();
        for (VirtualHost host : routes.getVirtualHostsList()) {
            for (Route route : host.getRoutesList()) {
                if (route.hasRoute() && !route.getRoute().getCluster().isEmpty()) {
                    names.add(route.getRoute().getCluster());
                }
                route.getRoute().getWeightedClusters().getClustersList().forEach(c -> names.add(c.getName()));
            }
        }
        return names;
    }
}
