package io.ursa.xds.names;

import static java.util.Objects.requireNonNull;

import io.ursa.api.spec.Tags;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Every Envoy resource name Ursa uses, spelled once (Kuma's {@code pkg/xds/envoy/names/resource_names.go};
 * name table in {@code kuma-2.0-envoy-config.md} §0.3).
 *
 * <p>These names are API: users' dashboards and alerts key on them (through the stat names derived from
 * them), so renaming one is a breaking change. Static pure functions only.
 */
public final class EnvoyNames {

    /** The address family of a passthrough listener or cluster. */
    public enum IpFamily {
        IPV4("ipv4"),
        IPV6("ipv6");

        private final String suffix;

        IpFamily(String suffix) {
            this.suffix = suffix;
        }
    }

    /** Inbound ports on this port are "serviceless": the Dataplane declares no service and gets no listener. */
    public static final int SERVICELESS_INBOUND_PORT = 49151;

    /** The Envoy admin exposure listener and cluster. */
    public static final String ENVOY_ADMIN = "kuma:envoy:admin";
    /** The Prometheus scrape listener. */
    public static final String PROMETHEUS_LISTENER = "kuma:metrics:prometheus";
    /** The cluster behind the Prometheus listener: the data-plane agent's metrics hijacker on a unix socket. */
    public static final String METRICS_HIJACKER_CLUSTER = "kuma:metrics:hijacker";
    /** The DNS (UDP) listener. */
    public static final String DNS_LISTENER = "kuma:dns";
    /** The virtual probes listener. */
    public static final String PROBE_LISTENER = "probe:listener";
    /** The direct-access cluster. */
    public static final String DIRECT_ACCESS_CLUSTER = "direct_access";
    /** The CA bundle of every mesh, for cross-mesh gateways only. */
    public static final String ALL_MESHES_CA_SECRET = "mesh_ca:secret:all";
    /** Bootstrap static cluster that points at the control plane's ADS server. */
    public static final String ADS_CLUSTER = "ads_cluster";
    /** Bootstrap static cluster that points at the agent's access-log sink. */
    public static final String ACCESS_LOG_SINK_CLUSTER = "access_log_sink";
    /** Bootstrap static secret that validates the control plane's certificate. */
    public static final String CP_VALIDATION_SECRET = "cp_validation_ctx";
    /** Listener and cluster that let the application reach the Kubernetes API server when passthrough is off. */
    public static final String K8S_API_SERVER_BYPASS = "plugins:bootstrap:k8s:hooks:apiServerBypass";

    /**
     * The directory of {@link #accessLogPipe} and {@link #metricsHijackerSocket} (the control plane's and the agent's
     * temporary directory).
     */
    public static final String ACCESS_LOG_PIPE_DIR = "/tmp";
    /** The longest {@link #accessLogPipe} or {@link #metricsHijackerSocket} before its {@code .sock} suffix. */
    public static final int ACCESS_LOG_PIPE_MAX_STEM = 98;

    private static final String SEPARATOR = ":";
    private static final Pattern NOT_STAT_SAFE = Pattern.compile("[^a-zA-Z0-9_\\-]");

    private EnvoyNames() {
    }

    /** The Envoy node id {@code <mesh>.<name>}; the control plane splits on the first dot, so the mesh has none. */
    public static String nodeId(String mesh, String name) {
        requireNonNull(mesh, "mesh");
        requireNonNull(name, "name");
        if (mesh.indexOf('.') >= 0) {
            throw new IllegalArgumentException("invalid mesh: \"" + mesh + "\" (expected: a name without dots)");
        }
        return mesh + "." + name;
    }

    /** {@code inbound:<dataplaneIp>:<port>}; IPv6 hosts are bracketed. */
    public static String inboundListener(String dataplaneIp, int port) {
        return join("inbound", hostPort(dataplaneIp, port));
    }

    /** {@code localhost:<workloadPort>}: the STATIC cluster that points at the application of an inbound. */
    public static String localCluster(int workloadPort) {
        return join("localhost", Integer.toString(checkPort(workloadPort)));
    }

    /** {@code inbound:<service>}: the inline route configuration of an inbound HTTP listener. */
    public static String inboundRouteConfig(String service) {
        return join("inbound", requireNonNull(service, "service"));
    }

    /** {@code outbound:<ip>:<port>}; IPv6 hosts are bracketed. */
    public static String outboundListener(String ip, int port) {
        return join("outbound", hostPort(ip, port));
    }

    /** {@code outbound:<service>}: the inline route configuration of an outbound HTTP listener. */
    public static String outboundRouteConfig(String service) {
        return join("outbound", requireNonNull(service, "service"));
    }

    /** {@code <service>}: the EDS cluster and ClusterLoadAssignment of a destination service. */
    public static String outboundCluster(String service) {
        return requireNonNull(service, "service");
    }

    /** {@code <service>-_<index>_}: a split entry with more tags than the service alone. */
    public static String splitCluster(String service, int index) {
        if (index < 0) {
            throw new IllegalArgumentException("invalid split index: " + index + " (expected: >= 0)");
        }
        return requireNonNull(service, "service") + "-_" + index + "_";
    }

    /**
     * {@code <cluster>_<mesh>}: a destination in another mesh (a cross-mesh gateway listener's outbound); with the
     * default route's {@code '*'} the destination has more tags than the service, so it is
     * {@code <service>-_<n>__<mesh>}, as in Kuma.
     */
    public static String crossMeshCluster(String cluster, String mesh) {
        return requireNonNull(cluster, "cluster") + "_" + requireNonNull(mesh, "mesh");
    }

    /** {@code <mesh>:<service>}: a cluster of a zone egress. */
    public static String zoneEgressCluster(String mesh, String service) {
        return join(requireNonNull(mesh, "mesh"), requireNonNull(service, "service"));
    }

    /** {@code outbound:passthrough:ipv4|ipv6}: listener and cluster of the same name. */
    public static String outboundPassthrough(IpFamily family) {
        return join("outbound", "passthrough", requireNonNull(family, "family").suffix);
    }

    /** {@code inbound:passthrough:ipv4|ipv6}: listener and cluster of the same name. */
    public static String inboundPassthrough(IpFamily family) {
        return join("inbound", "passthrough", requireNonNull(family, "family").suffix);
    }

    /** {@code direct_access_<ip>:<port>}. */
    public static String directAccessListener(String ip, int port) {
        return DIRECT_ACCESS_CLUSTER + "_" + hostPort(ip, port);
    }

    /** {@code tracing:<backend>}. */
    public static String tracingCluster(String backend) {
        return join("tracing", requireNonNull(backend, "backend"));
    }

    /**
     * {@code /tmp/kuma-al-<dataplane>-<mesh>.sock}: the named pipe (FIFO) Envoy writes the access logs of a
     * {@code tcp} logging backend to and the data-plane agent forwards to their TCP address (envoy-config §5.5).
     * The part before {@code .sock} is cut to {@value #ACCESS_LOG_PIPE_MAX_STEM} characters so that the path fits a
     * unix socket address. {@code ursa-dp} spells the same path (it cannot depend on this module); change both.
     */
    public static String accessLogPipe(String dataplane, String mesh) {
        String stem = ACCESS_LOG_PIPE_DIR + "/kuma-al-" + requireNonNull(dataplane, "dataplane") + "-"
                + requireNonNull(mesh, "mesh");
        return stem.substring(0, Math.min(stem.length(), ACCESS_LOG_PIPE_MAX_STEM)) + ".sock";
    }

    /**
     * {@code /tmp/kuma-mh-<dataplane>-<mesh>.sock}: the unix socket on which the data-plane agent serves the proxy's
     * metrics (Envoy's and the application's, envoy-config §5.3), cut like {@link #accessLogPipe}. {@code ursa-dp}
     * spells the same path; change both.
     */
    public static String metricsHijackerSocket(String dataplane, String mesh) {
        String stem = ACCESS_LOG_PIPE_DIR + "/kuma-mh-" + requireNonNull(dataplane, "dataplane") + "-"
                + requireNonNull(mesh, "mesh");
        return stem.substring(0, Math.min(stem.length(), ACCESS_LOG_PIPE_MAX_STEM)) + ".sock";
    }

    /** {@code identity_cert:secret:<mesh>}: the proxy's own certificate and key. */
    public static String identityCertSecret(String mesh) {
        return join("identity_cert", "secret", requireNonNull(mesh, "mesh"));
    }

    /** {@code mesh_ca:secret:<mesh>}: the CA bundle peers are validated against. */
    public static String meshCaSecret(String mesh) {
        return join("mesh_ca", "secret", requireNonNull(mesh, "mesh"));
    }

    /**
     * A builtin gateway's listener and its RDS route configuration (Kuma's {@code GetGatewayListenerName}):
     * {@code <gateway>:<PROTOCOL>:<port>}, e.g. {@code edge-gateway:HTTPS:8443}.
     */
    public static String gatewayListener(String gateway, String protocol, int port) {
        return join(requireNonNull(gateway, "gateway"), requireNonNull(protocol, "protocol"),
                String.valueOf(checkPort(port)));
    }

    /**
     * The SDS secret of a gateway listener's certificate (Kuma's {@code GetSecretName("cert." + keyType, scope,
     * identifier)}): {@code cert.<rsa|ecdsa>:<secret|file|inline>:<name, path or hostname>}, e.g.
     * {@code cert.rsa:secret:echo-example-com-server-cert}.
     */
    public static String gatewayCertSecret(String keyType, String scope, String identifier) {
        return join("cert." + requireNonNull(keyType, "keyType"), requireNonNull(scope, "scope"),
                requireNonNull(identifier, "identifier"));
    }

    /**
     * A builtin gateway's cluster (Kuma's {@code route.DestinationClusterName}): the service, a dash and the first
     * 8 bytes, in hex, of the SHA-256 of the destination's tags then the listener's tags (each map by sorted key,
     * key then value), e.g. {@code echo-service-9f149ed9e14091ca}.
     */
    public static String gatewayCluster(String service, Map<String, String> destination,
                                        Map<String, String> listenerTags) {
        java.security.MessageDigest sha;
        try {
            sha = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
        for (Map<String, String> tags : java.util.List.of(destination, listenerTags)) {
            new TreeMap<>(tags).forEach((key, value) -> {
                sha.update(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                sha.update(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            });
        }
        byte[] digest = sha.digest();
        return requireNonNull(service, "service") + "-"
                + java.util.HexFormat.of().formatHex(java.util.Arrays.copyOf(digest, 8));
    }

    /**
     * {@code cross_mesh_ca:secret:<mesh>} (an Ursa addition, for proxyless gRPC only): the CA roots of every mesh
     * whose cross-mesh gateway listeners {@code mesh} reaches (absent when there is none), which
     * {@code ursa-dp grpc-agent} writes for the bootstrap's cross-mesh certificate provider.
     */
    public static String crossMeshCaSecret(String mesh) {
        return join("cross_mesh_ca", "secret", requireNonNull(mesh, "mesh"));
    }

    /**
     * {@code <hostname>:<port>}: the API listener a proxyless client asks for on a channel to
     * {@code xds:///<hostname>:<port>}, a cross-mesh gateway listener of another mesh; also its virtual host's domain.
     */
    public static String grpcCrossMeshListener(String hostname, int port) {
        return requireNonNull(hostname, "hostname") + ":" + port;
    }

    /**
     * The SNI a sidecar sends to a mesh service (Kuma's {@code tls.SNIFromTags}): {@code <service>{k1=v1,k2=v2}}
     * over the cluster's tags minus {@code kuma.io/service}, plus {@code mesh=<mesh>}, keys sorted
     * ({@code backend{mesh=default}}, {@code db{mesh=mesh1,role=master}}).
     */
    public static String sni(String service, String mesh, Map<String, String> tags) {
        requireNonNull(service, "service");
        requireNonNull(mesh, "mesh");
        SortedMap<String, String> sorted = new TreeMap<>(requireNonNull(tags, "tags"));
        sorted.remove(Tags.SERVICE);
        sorted.put("mesh", mesh);
        StringJoiner pairs = new StringJoiner(",", "{", "}");
        sorted.forEach((key, value) -> pairs.add(key + "=" + value));
        return service + pairs;
    }

    // Proxyless gRPC (io.grpc:grpc-xds): the names are chosen by the application, not by us.

    /**
     * What a proxyless gRPC server ({@code XdsServerBuilder}) puts before its listening address in the LDS name it
     * asks for: the {@code server_listener_resource_name_template} of the gRPC bootstrap without its {@code %s}.
     */
    public static final String GRPC_SERVER_LISTENER_PREFIX = "grpc/server?xds.resource.listening_address=";

    /** {@code <service>}: the API listener a proxyless gRPC client asks for when it dials {@code xds:///<service>}. */
    public static String grpcClientListener(String service) {
        requireNonNull(service, "service");
        if (service.isEmpty()) {
            throw new IllegalArgumentException("invalid service: \"\" (expected: a kuma.io/service value)");
        }
        return service;
    }

    /**
     * {@code grpc/server?xds.resource.listening_address=<ip>:<port>}: the listener of a proxyless gRPC server bound
     * to {@code ip:port}; IPv6 hosts are bracketed, as gRPC writes them ({@code [::]:8080}).
     */
    public static String grpcServerListener(String ip, int port) {
        return GRPC_SERVER_LISTENER_PREFIX + hostPort(ip, port);
    }

    /**
     * A stat-safe form of a name: every character outside {@code [a-zA-Z0-9_-]} becomes {@code _}
     * ({@code localhost:8080} becomes {@code localhost_8080}). Used for stat prefixes.
     */
    public static String statName(String name) {
        return NOT_STAT_SAFE.matcher(requireNonNull(name, "name")).replaceAll("_");
    }

    /** The {@code alt_stat_name} of a cluster: its {@link #statName}, present only when it differs from the name. */
    public static Optional<String> altStatName(String clusterName) {
        String stat = statName(clusterName);
        return stat.equals(clusterName) ? Optional.empty() : Optional.of(stat);
    }

    /** The network RBAC filter's stat prefix: the listener's stat name plus a trailing dot. */
    public static String rbacStatPrefix(String listenerName) {
        return statName(listenerName) + ".";
    }

    /** {@code host:port}, with IPv6 hosts in brackets (Go's {@code net.JoinHostPort}). */
    static String hostPort(String host, int port) {
        requireNonNull(host, "host");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("invalid host: \"\" (expected: an IP address or host name)");
        }
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return h + SEPARATOR + checkPort(port);
    }

    private static int checkPort(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("invalid port: " + port + " (expected: 1-65535)");
        }
        return port;
    }

    private static String join(String... parts) {
        return String.join(SEPARATOR, parts);
    }
}
