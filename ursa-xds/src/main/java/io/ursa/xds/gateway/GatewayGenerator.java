package io.ursa.xds.gateway;

import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.ursa.api.gateway.MeshGatewaySpec;
import io.ursa.api.spec.DataSource;
import io.ursa.api.spec.Tags;
import io.ursa.xds.context.Endpoint;
import io.ursa.xds.context.GatewayCertificates;
import io.ursa.xds.context.MeshMtls;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.envoy.endpoints.ClusterLoadAssignments;
import io.ursa.xds.envoy.listeners.TcpProxyConfigurers;
import io.ursa.xds.envoy.tls.Secrets;
import io.ursa.xds.generator.GatewayUpstreams;
import io.ursa.xds.generator.GatewayUpstreams.RouteProtocol;
import io.ursa.xds.generator.Generator;
import io.ursa.xds.generator.Origins;
import io.ursa.xds.generator.policies.ConnectionPolicies;
import io.ursa.xds.names.EnvoyNames;
import io.ursa.xds.resources.ResourceSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configuration of a builtin gateway proxy (a Dataplane with {@code networking.gateway.type: BUILTIN}) from the
 * MeshGateway that selects it and the MeshGatewayRoutes of its listeners: Kuma 2.0's gateway generator
 * ({@code pkg/plugins/runtime/gateway/generator.go}). What is matched is {@link GatewaySelection}'s, per listener:
 * <ul>
 *   <li>the listener ({@link GatewayListeners}): HTTP, HTTPS (a chain per hostname by SNI), TCP, or cross-mesh;</li>
 *   <li>for HTTP and HTTPS, its route configuration over RDS, named as the listener ({@link GatewayRoutes}), the
 *       routes of each host from {@link RouteEntries};</li>
 *   <li>for every backend and mirror of every route, a cluster {@code <service>-<hash>} ({@link
 *       EnvoyNames#gatewayCluster}) with the destination's CircuitBreaker, HealthCheck and Timeout
 *       ({@link GatewayPolicies}) and mesh mTLS as a sidecar's outbound ({@link GatewayUpstreams#cluster}), and,
 *       unless it goes straight to an ExternalService, its ClusterLoadAssignment: the endpoints of the service
 *       whose tags include every tag of the destination;</li>
 *   <li>the SDS secret of each certificate of an HTTPS host, named {@code cert.<rsa|ecdsa>:<secret|file|inline>:...}
 *       ({@link EnvoyNames#gatewayCertSecret}; an {@code inline} or {@code inlineString} certificate is named after
 *       the hostname, as Kuma names inline ones), and {@code mesh_ca:secret:all} (the roots of every mesh with mTLS
 *       on, {@link MeshMtls#rootsByMesh()}) when a listener is cross-mesh. The identity and the mesh's own CA come
 *       from the profile's secrets generator.</li>
 * </ul>
 *
 * <p><b>A listener that cannot be configured is left out, not the proxy</b> (Kuma fails the whole generation): a
 * certificate that is missing, cannot be read, or is not a PEM certificate chain with one RSA or ECDSA private key;
 * two certificates of one host with the same secret name; an HTTPS host without {@code tls.mode: TERMINATE}; a
 * cross-mesh listener in a mesh without mTLS ("mTLS must be enabled for crossMesh-enabled MeshGateways"). Each
 * problem is logged once per mesh change and listed by {@link #problems}, which the Dataplane's gateway inspection
 * shows ({@code GET /meshes/{mesh}/dataplanes/{name}/policies}).
 *
 * <p>Empty when the proxy is not a builtin gateway or no MeshGateway selects it. Not yet: Kuma's access log of the
 * gateway's connection managers and tcp_proxies, RTDS (the connection limit is Envoy's connection_limit filter, see
 * {@link GatewayListeners}), TLS passthrough (refused by validation, as in Kuma). Stateless.
 */
public final class GatewayGenerator implements Generator {
    private static final Logger log = LoggerFactory.getLogger(GatewayGenerator.class);
    static final String CROSS_MESH_WITHOUT_MTLS = "mTLS must be enabled for crossMesh-enabled MeshGateways";

    @Override
    public ResourceSet generate(ProxyContext proxy) {
        Optional<GatewaySelection.Selected> selected = GatewaySelection.of(proxy.mesh(), proxy.dataplane());
        if (selected.isEmpty()) {
            return ResourceSet.empty();
        }
        ResourceSet.Builder resources = ResourceSet.builder();
        Map<String, Secret> secrets = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        boolean crossMesh = false;
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (GatewaySelection.Listener listener : selected.get().listeners()) {
            Optional<ResourceSet> generated = listener(proxy, listener, secrets, problems);
            if (generated.isPresent()) {
                // listeners with the same tags share the clusters of the same destinations
                generated.get().types().forEach(type -> generated.get().resources(type).forEach(resource -> {
                    if (seen.add(type + "/" + type.nameOf(resource))) {
                        resources.add(resource);
                    }
                }));
                crossMesh |= listener.crossMesh();
            }
        }
        secrets.values().forEach(resources::add);
        if (crossMesh) {
            resources.add(Secrets.trustedCa(EnvoyNames.ALL_MESHES_CA_SECRET,
                    proxy.mtls().orElseThrow().allMeshRootsPem()));
        }
        if (!problems.isEmpty()) {
            String gateway = selected.get().gateway().name();
            proxy.mesh().shared().computeIfAbsent(new Logged(gateway, List.copyOf(problems)), () -> {
                problems.forEach(problem -> log.warn("MeshGateway {} of mesh {}: {}", gateway,
                        proxy.mesh().name(), problem));
                return Boolean.TRUE;
            });
        }
        return resources.build();
    }

    @Override
    public String origin() {
        return Origins.GATEWAY;
    }

    /** What was logged for a mesh context, so that each problem is logged once per mesh change. */
    private record Logged(String gateway, List<String> problems) {
    }

    /**
     * Why listeners of {@code proxy}'s MeshGateway are left out of its configuration (see the type comment), each
     * naming the listener; empty when all are generated, or the proxy is no builtin gateway.
     */
    public static List<String> problems(ProxyContext proxy) {
        Optional<GatewaySelection.Selected> selected = GatewaySelection.of(proxy.mesh(), proxy.dataplane());
        List<String> problems = new ArrayList<>();
        selected.ifPresent(s -> s.listeners().forEach(l -> listener(proxy, l, new TreeMap<>(), problems)));
        return List.copyOf(problems);
    }

    /** The resources of {@code listener}, or empty (with a problem added) when it cannot be configured. */
    private static Optional<ResourceSet> listener(ProxyContext proxy, GatewaySelection.Listener listener,
                                                  Map<String, Secret> secrets, List<String> problems) {
        ResourceSet.Builder resources = ResourceSet.builder();
        Map<GatewaySelection.Host, List<RouteEntry>> entries = new LinkedHashMap<>();
        listener.hosts().forEach(host -> entries.put(host, RouteEntries.of(host)));
        RouteProtocol routeProtocol = listener.protocol() == MeshGatewaySpec.Protocol.TCP ? RouteProtocol.TCP
                : RouteProtocol.HTTP;
        Clusters clusters = new Clusters(proxy, routeProtocol);
        entries.forEach((host, list) -> list.forEach(entry -> {
            entry.forward().forEach(backend -> clusters.add(host, backend));
            entry.mirror().ifPresent(mirror -> clusters.add(host, mirror.backend()));
        }));
        List<FilterChain> chains = new ArrayList<>();
        Map<String, Secret> own = new TreeMap<>();
        if (listener.protocol() == MeshGatewaySpec.Protocol.TCP) {
            Optional<FilterChain> chain = tcpChain(proxy, entries, clusters);
            if (chain.isEmpty()) {
                problems.add("listener " + listener.name() + ": no TCP route with a backend attaches to it");
                return Optional.empty();
            }
            chains.add(chain.get());
        } else if (listener.crossMesh()) {
            if (proxy.mtls().isEmpty()) {
                problems.add("listener " + listener.name() + ": " + CROSS_MESH_WITHOUT_MTLS);
                return Optional.empty();
            }
            chains.add(GatewayListeners.crossMesh(proxy, listener));
        } else if (listener.protocol() == MeshGatewaySpec.Protocol.HTTPS) {
            for (GatewaySelection.Host host : listener.hosts()) {
                Optional<List<String>> names = certificates(proxy, listener, host, own, problems);
                if (names.isEmpty()) {
                    return Optional.empty();
                }
                chains.add(GatewayListeners.https(proxy, listener, host.hostname(), names.get()));
            }
        } else if (listener.protocol() == MeshGatewaySpec.Protocol.HTTP) {
            chains.add(GatewayListeners.http(proxy, listener));
        } else {
            problems.add("listener " + listener.name() + ": protocol " + listener.protocol()
                    + " is not supported (expected: HTTP, HTTPS or TCP)");
            return Optional.empty();
        }
        resources.add(GatewayListeners.listener(proxy, listener, chains));
        if (listener.isHttp()) {
            resources.add(GatewayRoutes.of(proxy, listener, entries, clusters));
        }
        clusters.resources().forEach(resources::add);
        secrets.putAll(own);
        return Optional.of(resources.build());
    }

    private static Optional<FilterChain> tcpChain(ProxyContext proxy, Map<GatewaySelection.Host, List<RouteEntry>> entries,
                                        Clusters clusters) {
        Map<String, Long> weights = new TreeMap<>();
        List<GatewayPolicies.Destination> destinations = new ArrayList<>();
        entries.forEach((host, list) -> list.forEach(entry -> entry.forward().forEach(backend -> {
            long weight = backend.weight() == 0 && entry.forward().size() == 1 ? 1 : backend.weight();
            if (weight > 0) {
                weights.putIfAbsent(clusters.cluster(host, backend), weight);
            }
            destinations.add(new GatewayPolicies.Destination(backend.destination(), clusters.policies(host,
                    backend)));
        })));
        if (weights.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(GatewayListeners.tcp(proxy, weights.entrySet().stream()
                        .map(e -> new TcpProxyConfigurers.WeightedCluster(e.getKey(), e.getValue())).toList(),
                GatewayUpstreams.tcpRetry(GatewayPolicies.forRoute(destinations, GatewayPolicies::retry,
                        ConnectionPolicies.RETRY).map(r -> r.spec().conf()))));
    }

    /**
     * The secret names of {@code host}'s certificates, their secrets put in {@code secrets}; empty (with a problem)
     * when one cannot be used.
     */
    private static Optional<List<String>> certificates(ProxyContext proxy, GatewaySelection.Listener listener,
                                                       GatewaySelection.Host host, Map<String, Secret> secrets,
                                                       List<String> problems) {
        String where = "listener " + listener.name() + " hostname " + host.hostname();
        if (host.tls().isEmpty() || host.tls().get().mode() != MeshGatewaySpec.TlsMode.TERMINATE) {
            problems.add(where + ": unsupported TLS mode \"" + host.tls().map(t -> t.mode().name()).orElse("NONE")
                    + "\" (expected: TERMINATE)");
            return Optional.empty();
        }
        List<String> names = new ArrayList<>();
        for (DataSource source : host.tls().get().certificates()) {
            String described = GatewayCertificates.key(source).startsWith("inline") ? "inline certificate"
                    : GatewayCertificates.key(source);
            Optional<GatewayCertificates.Content> content = proxy.mesh().gatewayCertificates().of(source);
            if (content.isEmpty() || content.get().data().isEmpty()) {
                problems.add(where + ": certificate " + described + " cannot be loaded: "
                        + content.map(GatewayCertificates.Content::error).orElse("not loaded"));
                return Optional.empty();
            }
            ServerCertificate certificate;
            try {
                certificate = ServerCertificate.parse(content.get().data().get().toByteArray());
            } catch (ServerCertificate.Unusable e) {
                problems.add(where + ": certificate " + described + " is not a PEM certificate and private key: "
                        + e.getMessage());
                return Optional.empty();
            }
            String name = secretName(certificate.keyType(), source, host.hostname());
            if (names.contains(name)) {
                problems.add(where + ": duplicate TLS certificate \"" + name + "\"");
                return Optional.empty();
            }
            names.add(name);
            secrets.put(name, certificate.secret(name));
        }
        return Optional.of(names);
    }

    private static String secretName(String keyType, DataSource source, String hostname) {
        if (source.secret() != null) {
            return EnvoyNames.gatewayCertSecret(keyType, "secret", source.secret());
        }
        if (source.file() != null) {
            return EnvoyNames.gatewayCertSecret(keyType, "file", source.file());
        }
        return EnvoyNames.gatewayCertSecret(keyType, "inline", hostname);
    }

    /** The clusters of one listener, by name, with the policies of each host's destinations. */
    private static final class Clusters implements GatewayRoutes.Backends {
        private final ProxyContext proxy;
        private final RouteProtocol protocol;
        private final Map<String, ResourceSet> byName = new TreeMap<>();

        Clusters(ProxyContext proxy, RouteProtocol protocol) {
            this.proxy = proxy;
            this.protocol = protocol;
        }

        void add(GatewaySelection.Host host, RouteEntry.Backend backend) {
            String name = cluster(host, backend);
            if (byName.containsKey(name)) {
                return;
            }
            GatewayPolicies policies = policies(host, backend);
            String service = backend.destination().get(Tags.SERVICE);
            ResourceSet.Builder set = ResourceSet.builder().add(GatewayUpstreams.cluster(proxy, name,
                    backend.destination(), protocol, policies.timeout().map(t -> t.spec().conf()),
                    policies.circuitBreaker().map(c -> c.spec().conf()),
                    policies.healthCheck().map(h -> h.spec().conf())));
            if (!GatewayUpstreams.isDirectExternal(proxy, service)) {
                set.add(endpoints(name, service, backend.destination()));
            }
            byName.put(name, set.build());
        }

        private ClusterLoadAssignment endpoints(String name, String service, Map<String, String> destination) {
            List<Endpoint> matching = proxy.mesh().endpoints(service).stream()
                    .filter(e -> destination.entrySet().stream()
                            .allMatch(t -> t.getValue().equals(e.tags().get(t.getKey()))))
                    .toList();
            return ClusterLoadAssignments.of(name, matching);
        }

        List<com.google.protobuf.Message> resources() {
            List<com.google.protobuf.Message> all = new ArrayList<>();
            byName.values().forEach(set -> set.types().forEach(type -> all.addAll(set.resources(type))));
            return all;
        }

        @Override
        public String cluster(GatewaySelection.Host host, RouteEntry.Backend backend) {
            return EnvoyNames.gatewayCluster(backend.destination().get(Tags.SERVICE), backend.destination(),
                    host.tags());
        }

        @Override
        public GatewayPolicies policies(GatewaySelection.Host host, RouteEntry.Backend backend) {
            return GatewayPolicies.of(proxy.mesh(), host.tags(), backend.destination());
        }
    }
}
