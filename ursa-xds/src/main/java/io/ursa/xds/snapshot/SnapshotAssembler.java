package io.ursa.xds.snapshot;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.envoyproxy.controlplane.cache.VersionedResource;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import com.google.protobuf.Message;
import io.envoyproxy.controlplane.cache.VersionedResource;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.context.SharedResources;
import io.ursa.xds.envoy.Protos;
import io.ursa.xds.names.EnvoyNames;
import io.ursa.xds.names.EnvoyNames.IpFamily;
import io.ursa.xds.resources.EnvoyType;
import io.ursa.xds.resources.ResourceSet;
import io.ursa.xds.resources.Versions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Turns a {@link ResourceSet} into a java-control-plane v3 {@link Snapshot} whose per-type versions are the content
 * hashes of {@link Versions} (never a counter, never {@code hashCode()}), after checking that the set is consistent:
 * <ul>
 *   <li>every cluster a listener's tcp_proxy or inline route configuration, or a {@link RouteConfiguration} of the
 *       set, names exists;</li>
 *   <li>every route configuration a listener's HCM fetches over RDS exists;</li>
 *   <li>every EDS cluster has its {@link ClusterLoadAssignment} (named by {@code eds_cluster_config.service_name},
 *       or the cluster name when that is unset), and there is no ClusterLoadAssignment of no EDS cluster (it would
 *       block EDS delivery in ADS mode, envoy-config §8.4);</li>
 *   <li>every SDS secret a TLS transport socket of a listener's filter chain or of a cluster names exists (Envoy
 *       would keep the listener or cluster warming otherwise).</li>
 * </ul>
 * SimpleCache in ADS mode stays silent when a requested name is missing (stack-notes P8), so an inconsistent set
 * fails here, loudly, with every missing name, instead of hanging the proxy.
 *
 * <p>Clusters that are <em>absent by design</em> may be referenced without existing, and must not exist: the one
 * intended case is {@code outbound:passthrough:<family>} of a mesh with passthrough off, whose catch-all listener
 * names a cluster that is never generated (envoy-config §4, {@code TransparentProxyGenerator}). Immutable and
 * thread-safe.
 */
public final class SnapshotAssembler {
    private static final String REFERENCES = "references";
    private static final String DIGEST = "digest";
    private static final String VERSIONED = "versioned resource";
    private static final SnapshotAssembler STRICT = new SnapshotAssembler(Set.of());

    private final SortedSet<String> absentByDesign;

    private SnapshotAssembler(Set<String> absentByDesign) {
        this.absentByDesign = new TreeSet<>(absentByDesign);
    }

    /** An assembler that requires every referenced name to exist. */
    public static SnapshotAssembler strict() {
        return STRICT;
    }

    /** An assembler that lets the clusters of {@code absentByDesign} be referenced, and requires them absent. */
    public static SnapshotAssembler allowingAbsent(Set<String> absentByDesign) {
        requireNonNull(absentByDesign, "absentByDesign");
        for (String name : absentByDesign) {
            if (requireNonNull(name, "absentByDesign name").isEmpty()) {
                throw new IllegalArgumentException("invalid absent-by-design cluster: \"\" (expected: a name)");
            }
        }
        return absentByDesign.isEmpty() ? STRICT : new SnapshotAssembler(absentByDesign);
    }

    /**
     * The assembler for one proxy: in a mesh with passthrough off, the outbound passthrough clusters of both IP
     * families are absent by design; otherwise nothing is.
     */
    public static SnapshotAssembler forProxy(ProxyContext proxy) {
        requireNonNull(proxy, "proxy");
        if (proxy.meshSpec().isPassthrough()) {
            return STRICT;
        }
        return allowingAbsent(Set.of(EnvoyNames.outboundPassthrough(IpFamily.IPV4),
                EnvoyNames.outboundPassthrough(IpFamily.IPV6)));
    }

    /** The clusters that may be referenced without existing, sorted. */
    public Set<String> absentByDesign() {
        return Collections.unmodifiableSortedSet(absentByDesign);
    }

    /** {@link #assemble(ResourceSet, String)} without a subject in the error message. */
    public Snapshot assemble(ResourceSet resources) {
        return assemble(resources, "");
    }

    /**
     * Checks {@code resources} and builds the snapshot, each type versioned by {@link Versions}.
     *
     * @param subject named in the error message, e.g. the node id
     * @throws InconsistentSnapshotException naming every missing or stray name
     */
    public Snapshot assemble(ResourceSet resources, String subject) {
        return assemble(resources, Versions.of(requireNonNull(resources, "resources")), subject,
                new SharedResources());
    }

    /**
     * {@link #assemble(ResourceSet, String)} for a proxy of a mesh context: the digests, references and versioned
     * resources of instances its proxies share are computed once, in {@code shared}.
     */
    public Snapshot assemble(ResourceSet resources, String subject, SharedResources shared) {
        requireNonNull(shared, "shared");
        return assemble(resources, Versions.of(requireNonNull(resources, "resources"), r -> digest(shared, r)),
                subject, shared);
    }

    /**
     * {@link #assemble(ResourceSet, String)} with the versions of {@code resources} already computed, and the
     * references of resources shared by many proxies remembered in {@code shared}.
     */
    Snapshot assemble(ResourceSet resources, Versions versions, String subject, SharedResources shared) {
        return assemble(resources, versions, subject, shared, null);
    }

    /**
     * {@link #assemble(ResourceSet, Versions, String, SharedResources)} for a proxy whose current snapshot is
     * {@code previous} (null: none). The types with {@code previous}'s version are taken from it as they are, and
     * when only the content of ClusterLoadAssignments differs from it, the check is {@code previous}'s: an endpoint
     * change of a service does not check its callers again.
     */
    Snapshot assemble(ResourceSet resources, Versions versions, String subject, SharedResources shared,
                      Snapshot previous) {
        requireNonNull(resources, "resources");
        requireNonNull(versions, "versions");
        requireNonNull(subject, "subject");
        requireNonNull(shared, "shared");
        if (!VersionedSnapshot.checkedAlready(previous, resources, versions, absentByDesign)) {
            List<String> problems = problems(resources, shared);
            if (!problems.isEmpty()) {
                throw new InconsistentSnapshotException(subject, problems);
            }
        }
        return VersionedSnapshot.of(resources, versions, shared, resource -> shared.derived(VERSIONED, resource,
                () -> VersionedResource.create(resource, HexFormat.of().formatHex(digest(shared, resource)))),
                absentByDesign, previous);
    }

    /** {@link Versions#digest} of {@code resource}, computed once per instance shared in {@code shared}. */
    static byte[] digest(SharedResources shared, Message resource) {
        return shared.derived(DIGEST, resource, () -> Versions.digest(resource));
    }

    /** Every consistency problem of {@code resources}, in a stable order; empty when it may be published. */
    List<String> problems(ResourceSet resources) {
        return problems(resources, new SharedResources());
    }

    private List<String> problems(ResourceSet resources, SharedResources shared) {
        List<String> problems = new ArrayList<>();
        Set<String> clusters = resources.byName(EnvoyType.CLUSTER).keySet();
        Set<String> routeConfigs = resources.byName(EnvoyType.ROUTE_CONFIGURATION).keySet();
        Set<String> secrets = resources.byName(EnvoyType.SECRET).keySet();

        SortedSet<String> present = new TreeSet<>(absentByDesign);
        present.retainAll(clusters);
        if (!present.isEmpty()) {
            problems.add("clusters " + present + " exist but are absent by design (expected: no such cluster)");
        }

        for (Listener listener : resources.resources(Listener.class)) {
            if (resolves(listener, shared, clusters, secrets, routeConfigs)) {
                continue;
            }
            References refs = References.of(listener);
            report(problems, "listener", listener.getName(), "cluster", refs.clusters, clusters);
            report(problems, "listener", listener.getName(), "secret", refs.secrets, secrets);
            report(problems, "listener", listener.getName(), "route configuration", refs.routeConfigs,
                    routeConfigs);
        }
        for (RouteConfiguration routes : resources.resources(RouteConfiguration.class)) {
            References refs = new References();
            refs.addRoutes(routes);
            report(problems, "route configuration", routes.getName(), "cluster", refs.clusters, clusters);
        }

        for (Cluster cluster : resources.resources(Cluster.class)) {
            References refs = shared.derived(REFERENCES, cluster, () -> References.of(cluster));
            report(problems, "cluster", cluster.getName(), "secret", refs.secrets, secrets);
        }

        SortedSet<String> edsNames = new TreeSet<>();
        for (Cluster cluster : resources.resources(Cluster.class)) {
            if (cluster.getType() == Cluster.DiscoveryType.EDS) {
                String service = cluster.getEdsClusterConfig().getServiceName();
                String cla = service.isEmpty() ? cluster.getName() : service;
                edsNames.add(cla);
                if (resources.get(ClusterLoadAssignment.class, cla).isEmpty()) {
                    problems.add("EDS cluster " + cluster.getName() + " has no ClusterLoadAssignment " + cla
                            + " (expected: one named " + cla + ")");
                }
            }
        }
        Set<String> assignments = resources.byName(EnvoyType.CLUSTER_LOAD_ASSIGNMENT).keySet();
        SortedSet<String> stray = edsNames.containsAll(assignments) ? new TreeSet<>() : new TreeSet<>(assignments);
        stray.removeAll(edsNames);
        if (!stray.isEmpty()) {
            problems.add("ClusterLoadAssignments " + stray + " belong to no EDS cluster (expected: one per EDS "
                    + "cluster and no other, or ADS withholds EDS)");
        }
        return problems;
    }

    /**
     * Whether every name {@code listener} refers to is in the snapshot. The names are found per filter and per
     * transport socket, which replicas of a workload (and the proxies of a mesh, for the admin listener) have
     * equal even where their listeners differ by address, and most of which a change leaves as they were: each
     * distinct one is unpacked once, and found again in the next mesh context
     * ({@link SharedResources#derivedAcross}). A listener with a missing name is looked at again whole, to report it.
     */
    private boolean resolves(Listener listener, SharedResources shared, Set<String> clusters,
                                    Set<String> secrets, Set<String> routeConfigs) {
        for (int i = 0, n = listener.getFilterChainsCount(); i < n; i++) {
            if (!resolves(listener.getFilterChains(i), listener, shared, clusters, secrets, routeConfigs)) {
                return false;
            }
        }
        if (listener.hasDefaultFilterChain() && !resolves(listener.getDefaultFilterChain(), listener, shared,
                clusters, secrets, routeConfigs)) {
            return false;
        }
        if (listener.hasApiListener() && listener.getApiListener().hasApiListener()) {
            References refs = shared.derivedAcross(REFERENCES, listener.getApiListener(), () -> {
                References api = new References();
                api.addHcmConfig(listener.getApiListener().getApiListener(), listener.getName());
                return api;
            });
            return refs.within(clusters, absentByDesign, secrets, routeConfigs);
        }
        return true;
    }

    private boolean resolves(FilterChain chain, Listener listener, SharedResources shared,
                                    Set<String> clusters, Set<String> secrets, Set<String> routeConfigs) {
        for (int i = 0, n = chain.getFiltersCount(); i < n; i++) {
            References refs = references(shared, chain.getFilters(i), listener.getName());
            if (!refs.within(clusters, absentByDesign, secrets, routeConfigs)) {
                return false;
            }
        }
        if (chain.hasTransportSocket()) {
            TransportSocket socket = chain.getTransportSocket();
            References refs = shared.derivedAcross(REFERENCES, socket, () -> {
                References found = new References();
                found.addTransportSocket(socket, "listener " + listener.getName());
                return found;
            });
            return refs.within(clusters, absentByDesign, secrets, routeConfigs);
        }
        return true;
    }

    /** The names {@code filter} of listener {@code listener} refers to, unpacked once ({@link #resolves}). */
    private static References references(SharedResources shared, Filter filter, String listener) {
        return shared.derivedAcross(REFERENCES, filter, () -> {
            References found = new References();
            found.addFilter(filter, listener);
            return found;
        });
    }

    /**
     * Tells the consistency check of proxies in {@code shared}'s mesh context that {@code filter} refers to exactly
     * the names {@code original} refers to, so that it is not unpacked to find them: for a filter made from another
     * by a change that adds or removes no reference (the {@code x-kuma-tags} request header of each caller of an
     * outbound listener shared across workloads). A missing name is still found: the original's names are checked.
     */
    public static void sameReferences(SharedResources shared, Filter filter, Filter original) {
        requireNonNull(shared, "shared");
        requireNonNull(filter, "filter");
        requireNonNull(original, "original");
        shared.derived(REFERENCES, filter, () -> references(shared, original, original.getName()));
    }

    private void report(List<String> problems, String referrer, String name, String kind,
                        SortedSet<String> referenced, Set<String> existing) {
        if (existing.containsAll(referenced)) {
            return; // every proxy update checks every reference: the common case allocates nothing
        }
        referrer = referrer + " " + name;
        SortedSet<String> missing = new TreeSet<>(referenced);
        missing.removeAll(existing);
        if (kind.equals("cluster")) {
            missing.removeAll(absentByDesign);
        }
        if (!missing.isEmpty()) {
            problems.add(referrer + " references missing " + kind + (missing.size() == 1 ? " " : "s ") + missing
                    + " (expected: in the snapshot" + (kind.equals("cluster") && !absentByDesign.isEmpty()
                    ? " or absent by design " + absentByDesign : "") + ")");
        }
    }

    /** The names one listener, cluster or route configuration refers to. */
    private static final class References {
        final SortedSet<String> clusters = new TreeSet<>();
        final SortedSet<String> routeConfigs = new TreeSet<>();
        final SortedSet<String> secrets = new TreeSet<>();

        /** Whether every name found exists, or is a cluster absent by design. */
        boolean within(Set<String> existingClusters, Set<String> absentClusters, Set<String> existingSecrets,
                       Set<String> existingRouteConfigs) {
            if (!existingSecrets.containsAll(secrets) || !existingRouteConfigs.containsAll(routeConfigs)) {
                return false;
            }
            if (existingClusters.containsAll(clusters)) {
                return true;
            }
            for (String cluster : clusters) {
                if (!existingClusters.contains(cluster) && !absentClusters.contains(cluster)) {
                    return false;
                }
            }
            return true;
        }

        static References of(Listener listener) {
            References refs = new References();
            List<FilterChain> chains = new ArrayList<>(listener.getFilterChainsList());
            if (listener.hasDefaultFilterChain()) {
                chains.add(listener.getDefaultFilterChain());
            }
            for (FilterChain chain : chains) {
                for (Filter filter : chain.getFiltersList()) {
                    refs.addFilter(filter, listener.getName());
                }
            }
            if (listener.hasApiListener() && listener.getApiListener().hasApiListener()) {
                refs.addHcmConfig(listener.getApiListener().getApiListener(), listener.getName());
            }
            for (FilterChain chain : chains) {
                if (chain.hasTransportSocket()) {
                    refs.addTransportSocket(chain.getTransportSocket(), "listener " + listener.getName());
                }
            }
            return refs;
        }

        static References of(Cluster cluster) {
            References refs = new References();
            if (cluster.hasTransportSocket()) {
                refs.addTransportSocket(cluster.getTransportSocket(), "cluster " + cluster.getName());
            }
            cluster.getTransportSocketMatchesList().forEach(match ->
                    refs.addTransportSocket(match.getTransportSocket(), "cluster " + cluster.getName()));
            return refs;
        }

        /** The SDS secrets of a TLS transport socket (its certificates and validation context). */
        void addTransportSocket(TransportSocket socket, String owner) {
            Any config = socket.getTypedConfig();
            try {
                if (Protos.is(config, DownstreamTlsContext.getDefaultInstance())) {
                    addCommonTls(Protos.unpack(config, DownstreamTlsContext.getDefaultInstance()).getCommonTlsContext());
                } else if (Protos.is(config, UpstreamTlsContext.getDefaultInstance())) {
                    addCommonTls(Protos.unpack(config, UpstreamTlsContext.getDefaultInstance()).getCommonTlsContext());
                }
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalArgumentException("the transport socket " + socket.getName() + " of " + owner
                        + " does not unpack to " + config.getTypeUrl(), e);
            }
        }

        private void addCommonTls(CommonTlsContext tls) {
            tls.getTlsCertificateSdsSecretConfigsList().forEach(sds -> secrets.add(sds.getName()));
            if (tls.hasValidationContextSdsSecretConfig()) {
                secrets.add(tls.getValidationContextSdsSecretConfig().getName());
            }
            if (tls.getCombinedValidationContext().hasValidationContextSdsSecretConfig()) {
                secrets.add(tls.getCombinedValidationContext().getValidationContextSdsSecretConfig().getName());
            }
        }

        void addFilter(Filter filter, String listener) {
            if (!filter.hasTypedConfig()) {
                return;
            }
            Any config = filter.getTypedConfig();
            if (Protos.is(config, TcpProxy.getDefaultInstance())) {
                TcpProxy tcp = unpack(config, TcpProxy.getDefaultInstance(), filter, listener);
                if (tcp.hasWeightedClusters()) {
                    tcp.getWeightedClusters().getClustersList().forEach(c -> clusters.add(c.getName()));
                } else if (!tcp.getCluster().isEmpty()) {
                    clusters.add(tcp.getCluster());
                }
            } else if (Protos.is(config, HttpConnectionManager.getDefaultInstance())) {
                addHcm(unpack(config, HttpConnectionManager.getDefaultInstance(), filter, listener));
            }
        }

        void addHcmConfig(Any config, String listener) {
            if (Protos.is(config, HttpConnectionManager.getDefaultInstance())) {
                try {
                    addHcm(Protos.unpack(config, HttpConnectionManager.getDefaultInstance()));
                } catch (InvalidProtocolBufferException e) {
                    throw new IllegalArgumentException("the api_listener of listener " + listener
                            + " does not unpack to " + config.getTypeUrl(), e);
                }
            }
        }

        void addHcm(HttpConnectionManager hcm) {
            if (hcm.hasRds()) {
                routeConfigs.add(hcm.getRds().getRouteConfigName());
            } else if (hcm.hasRouteConfig()) {
                addRoutes(hcm.getRouteConfig());
            }
        }

        void addRoutes(RouteConfiguration routes) {
            for (VirtualHost host : routes.getVirtualHostsList()) {
                for (Route route : host.getRoutesList()) {
                    if (!route.hasRoute()) {
                        continue;
                    }
                    if (!route.getRoute().getCluster().isEmpty()) {
                        clusters.add(route.getRoute().getCluster());
                    }
                    route.getRoute().getWeightedClusters().getClustersList().forEach(c -> clusters.add(c.getName()));
                }
            }
        }

        private static <M extends com.google.protobuf.Message> M unpack(Any config, M type, Filter filter,
                                                                         String listener) {
            try {
                return Protos.unpack(config, type);
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalArgumentException("filter " + filter.getName() + " of listener " + listener
                        + " does not unpack to " + config.getTypeUrl(), e);
            }
        }
    }
}
