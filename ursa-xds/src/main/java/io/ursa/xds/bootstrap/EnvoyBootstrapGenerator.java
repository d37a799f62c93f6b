package io.ursa.xds.bootstrap;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.bootstrap.v3.Admin;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.bootstrap.v3.LayeredRuntime;
import io.envoyproxy.envoy.config.bootstrap.v3.RuntimeLayer;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.UpstreamConnectionOptions;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.core.v3.Pipe;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TcpKeepalive;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.metrics.v3.StatsConfig;
import io.envoyproxy.envoy.config.metrics.v3.TagSpecifier;
import io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsParameters;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.zoneegress.ZoneEgressSpec;
import io.ursa.api.resource.Resource;
import io.ursa.xds.envoy.Configurer;
import io.ursa.xds.envoy.Protos;
import io.ursa.xds.envoy.clusters.ClusterBuilder;
import io.ursa.xds.envoy.clusters.ClusterConfigurers;
import io.ursa.xds.names.EnvoyNames;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the Envoy bootstrap of a sidecar ({@code kuma-2.0-envoy-config.md} §1, Kuma's
 * {@code pkg/xds/bootstrap/template_v3.go}): the node, the ADS source, the admin, the runtime and stats tags, and the
 * static {@code access_log_sink}/{@code ads_cluster} clusters and {@code cp_validation_ctx} secret. A builtin
 * gateway (a Dataplane with {@code networking.gateway.type: BUILTIN}) also gets the {@code gateway} runtime layer
 * and, when the agent reported a heap limit, the overload manager ({@link GatewayBootstrap}, which says what of
 * Kuma's gateway bootstrap is not there yet).
 *
 * <p>Left out on purpose: {@code hdsConfig} (Ursa's DP server has no HDS service; Kuma's Kubernetes install turns
 * it off too), the file-based token of §1.5 ({@code dpServer.auth.useTokenPath}), and the {@code V4_ONLY} DNS
 * family, which Kuma decides by resolving the xDS host (generation
 * here stays a pure function). Stateless and thread-safe.
 */
public final class EnvoyBootstrapGenerator {
    /** The metadata key and gRPC header that carry the dataplane token. */
    public static final String AUTHORIZATION_HEADER = "authorization";
    /** The access log of the admin listener, unless the proxy runs on Windows. */
    static final String NULL_DEVICE = "/dev/null";
    static final String WINDOWS_NULL_DEVICE = "NUL";
    static final String WINDOWS = "windows";

    private static final String TLS_TRANSPORT_SOCKET = "envoy.transport_sockets.tls";
    private static final String FILE_ACCESS_LOGGER = "envoy.access_loggers.file";

    /** The stats tag extractors every Kuma bootstrap has, in Kuma's order (name, regex). */
    private static final List<TagSpecifier> STATS_TAGS = List.of(
            tag("name", "^grpc\\.((.+)\\.)"),
            tag("status", "^grpc.*streams_closed(_([0-9]+))"),
            tag("kafka_name", "^kafka(\\.(\\S*[0-9]))\\."),
            tag("kafka_type", "^kafka\\..*\\.(.*)"),
            tag("worker", "(worker_([0-9]+)\\.)"),
            tag("listener", "((.+?)\\.)rbac\\."));

    private final BootstrapParams params;

    public EnvoyBootstrapGenerator(BootstrapParams params) {
        this.params = requireNonNull(params, "params");
    }

    /**
     * The bootstrap of the Dataplane {@code dataplane} (a sidecar or a builtin gateway), which the request names.
     * Fails when the request names another proxy or is not for a {@code dataplane} (see
     * {@link #generateZoneEgress}; zone ingress is not supported).
     */
    public Bootstrap generate(BootstrapRequest request, Resource<DataplaneSpec> dataplane) {
        requireNonNull(request, "request");
        requireNonNull(dataplane, "dataplane");
        if (request.proxyType() != BootstrapRequest.ProxyType.DATAPLANE) {
            throw new IllegalArgumentException("unsupported proxyType: " + request.proxyType().wireName()
                    + " (expected: dataplane)");
        }
        if (!request.mesh().equals(dataplane.mesh()) || !request.name().equals(dataplane.name())) {
            throw new IllegalArgumentException("the request is for " + request.mesh() + "." + request.name()
                    + " but the Dataplane is " + dataplane.mesh() + "." + dataplane.name());
        }
        Bootstrap sidecar = generate(request, adminPort(dataplane.spec()),
                ProxyIdentity.service(dataplane.spec()));
        if (!dataplane.spec().hasGateway(DataplaneSpec.GatewayType.BUILTIN)) {
            return sidecar;
        }
        Bootstrap.Builder gateway = sidecar.toBuilder();
        gateway.getLayeredRuntimeBuilder().addLayers(GatewayBootstrap.runtimeLayer());
        GatewayBootstrap.overloadManager(request.maxHeapSizeBytes()).ifPresent(gateway::setOverloadManager);
        return gateway.build();
    }

    /**
     * The bootstrap of zone egress {@code zoneEgress}, which the request ({@code proxyType: egress}) names: node id
     * {@code .<name>}, node cluster {@code egress}, as Kuma's.
     */
    public Bootstrap generateZoneEgress(BootstrapRequest request, Resource<ZoneEgressSpec> zoneEgress) {
        requireNonNull(request, "request");
        requireNonNull(zoneEgress, "zoneEgress");
        if (request.proxyType() != BootstrapRequest.ProxyType.EGRESS) {
            throw new IllegalArgumentException("unsupported proxyType: " + request.proxyType().wireName()
                    + " (expected: egress for a ZoneEgress)");
        }
        if (!request.mesh().isEmpty() || !request.name().equals(zoneEgress.name())) {
            throw new IllegalArgumentException("the request is for " + request.mesh() + "." + request.name()
                    + " but the ZoneEgress is " + zoneEgress.name());
        }
        ZoneEgressSpec.Networking networking = zoneEgress.spec().networking();
        int adminPort = networking != null && networking.adminPort() != 0 ? networking.adminPort()
                : params.defaultAdminPort();
        return generate(request, adminPort, "egress");
    }

    private Bootstrap generate(BootstrapRequest request, int adminPort, String nodeCluster) {
        Bootstrap.StaticResources.Builder statics = Bootstrap.StaticResources.newBuilder()
                .addClusters(accessLogSink(request))
                .addClusters(adsCluster());
        if (params.adsOverTls()) {
            statics.addSecrets(cpValidationContext(request));
        }
        Bootstrap.Builder bootstrap = Bootstrap.newBuilder()
                .setNode(node(request, nodeCluster, adminPort))
                .setDynamicResources(dynamicResources(request))
                .setLayeredRuntime(runtime())
                .setStatsConfig(StatsConfig.newBuilder().addAllStatsTags(STATS_TAGS))
                .setStaticResources(statics);
        if (adminPort != 0) {
            bootstrap.setAdmin(admin(request, adminPort));
        }
        return bootstrap.build();
    }

    /** Whether the agent should treat the proxy as transparent ({@code kumaSidecarConfiguration.networking}). */
    public static boolean usesTransparentProxy(DataplaneSpec dataplane) {
        DataplaneSpec.Networking networking = requireNonNull(dataplane, "dataplane").networking();
        if (networking == null || networking.transparentProxying() == null) {
            return false;
        }
        return networking.transparentProxying().redirectPortInbound() != 0
                && networking.transparentProxying().redirectPortOutbound() != 0;
    }

    /** The Dataplane's {@code networking.admin.port}, else the default (0 = no admin). */
    private int adminPort(DataplaneSpec dataplane) {
        DataplaneSpec.Networking networking = dataplane.networking();
        if (networking != null && networking.admin() != null && networking.admin().port() != 0) {
            return networking.admin().port();
        }
        return params.defaultAdminPort();
    }

    private Node node(BootstrapRequest request, String nodeCluster, int adminPort) {
        Map<String, Value> metadata = new TreeMap<>();
        metadata.put("version", struct(versionFields(request)));
        metadata.put("features", Value.newBuilder().setListValue(ListValue.newBuilder()
                .addAllValues(request.features().stream().map(EnvoyBootstrapGenerator::string).toList())).build());
        request.dataplaneResource().ifPresent(r -> metadata.put("dataplane.resource", string(r)));
        if (adminPort != 0) {
            metadata.put("dataplane.admin.port", string(Integer.toString(adminPort)));
            metadata.put("dataplane.admin.address", string(params.adminAddress()));
        }
        if (request.dnsPort() != 0) {
            metadata.put("dataplane.dns.port", string(Integer.toString(request.dnsPort())));
        }
        if (request.emptyDnsPort() != 0) {
            metadata.put("dataplane.dns.empty.port", string(Integer.toString(request.emptyDnsPort())));
        }
        metadata.put("dataplane.proxyType", string(request.proxyType().wireName()));
        if (!request.dynamicMetadata().isEmpty()) {
            Map<String, Value> dynamic = new TreeMap<>();
            request.dynamicMetadata().forEach((k, v) -> dynamic.put(k, string(v)));
            metadata.put("dynamicMetadata", struct(dynamic));
        }
        return Node.newBuilder()
                .setId(ProxyIdentity.nodeId(request.mesh(), request.name()))
                .setCluster(nodeCluster)
                .setMetadata(Struct.newBuilder().putAllFields(metadata))
                .build();
    }

    /** {@code version}: the builds, and {@code dependencies} from the {@code version.dependencies.*} metadata. */
    private static Map<String, Value> versionFields(BootstrapRequest request) {
        BootstrapRequest.KumaDp dp = request.version().kumaDp();
        BootstrapRequest.Envoy envoy = request.version().envoy();
        Map<String, Value> dependencies = new TreeMap<>();
        String prefix = "version.dependencies.";
        request.dynamicMetadata().forEach((key, value) -> {
            if (key.startsWith(prefix) && key.length() > prefix.length()) {
                dependencies.put(key.substring(prefix.length()), string(value));
            }
        });
        return Map.of(
                "kumaDp", struct(Map.of(
                        "version", string(dp.version()),
                        "gitTag", string(dp.gitTag()),
                        "gitCommit", string(dp.gitCommit()),
                        "buildDate", string(dp.buildDate()))),
                "envoy", struct(Map.of(
                        "version", string(envoy.version()),
                        "build", string(envoy.build()),
                        "kumaDpCompatible", Value.newBuilder().setBoolValue(envoy.kumaDpCompatible()).build())),
                "dependencies", struct(dependencies));
    }

    /**
     * LDS and CDS over ADS; ADS over gRPC to {@code ads_cluster}, with the token as initial metadata, in the variant
     * the request asks for, else the parameters' ({@code GRPC} or {@code DELTA_GRPC}).
     */
    private Bootstrap.DynamicResources dynamicResources(BootstrapRequest request) {
        ConfigSource overAds = ConfigSource.newBuilder()
                .setAds(AggregatedConfigSource.getDefaultInstance())
                .setResourceApiVersion(ApiVersion.V3)
                .build();
        GrpcService.Builder ads = GrpcService.newBuilder()
                .setEnvoyGrpc(GrpcService.EnvoyGrpc.newBuilder().setClusterName(EnvoyNames.ADS_CLUSTER));
        request.dataplaneToken().ifPresent(token -> ads.addInitialMetadata(
                HeaderValue.newBuilder().setKey(AUTHORIZATION_HEADER).setValue(token)));
        return Bootstrap.DynamicResources.newBuilder()
                .setLdsConfig(overAds)
                .setCdsConfig(overAds)
                .setAdsConfig(ApiConfigSource.newBuilder()
                        .setApiType(request.xdsProtocol().orElse(params.adsProtocol()).apiType())
                        .setTransportApiVersion(ApiVersion.V3)
                        .setSetNodeOnFirstMessageOnly(true)
                        .addGrpcServices(ads))
                .build();
    }

    private Admin admin(BootstrapRequest request, int port) {
        String path = WINDOWS.equals(request.operatingSystem()) ? WINDOWS_NULL_DEVICE : NULL_DEVICE;
        return Admin.newBuilder()
                .setAddress(Address.newBuilder().setSocketAddress(SocketAddress.newBuilder()
                        .setAddress(params.adminAddress())
                        .setPortValue(port)))
                .addAccessLog(AccessLog.newBuilder()
                        .setName(FILE_ACCESS_LOGGER)
                        .setTypedConfig(Protos.pack(FileAccessLog.newBuilder().setPath(path).build())))
                .build();
    }

    /** The static {@code kuma} runtime layer. */
    private static LayeredRuntime runtime() {
        Map<String, Value> layer = new TreeMap<>();
        layer.put("envoy.restart_features.use_apple_api_for_dns_lookups",
                Value.newBuilder().setBoolValue(false).build());
        layer.put("re2.max_program_size.error_level", Value.newBuilder().setNumberValue(4294967295d).build());
        layer.put("re2.max_program_size.warn_level", Value.newBuilder().setNumberValue(1000d).build());
        return LayeredRuntime.newBuilder()
                .addLayers(RuntimeLayer.newBuilder().setName("kuma").setStaticLayer(Struct.newBuilder().putAllFields(layer)))
                .build();
    }

    /**
     * {@code ads_cluster}: HTTP/2 to the DP server (over TLS when the DP server has a certificate), one endpoint per
     * control-plane instance ({@link BootstrapParams#xdsAddresses()}): STATIC when every one is an IP, else
     * STRICT_DNS. STRICT_DNS takes IP literals too (they resolve to themselves), so a mix of names and IPs is one
     * STRICT_DNS cluster; and a name with several A/AAAA records gives an endpoint per record. Envoy's ADS stream
     * uses one endpoint at a time (round robin picks one per new connection), so when its instance goes away the
     * stream reconnects through another, and Envoy keeps serving its last configuration meanwhile.
     *
     * <p>TLS: one cluster has one transport socket, so one SNI for every endpoint: {@code xdsHost} (the instance the
     * agent reached, or the configured name), as with one instance. The DP server does not choose its certificate by
     * SNI. The certificate check ({@link #cpValidationContext}) accepts a certificate of the control plane's CA that
     * names any of the instances' hosts. A per-endpoint SNI and SAN check would need {@code UpstreamTlsContext}'s
     * {@code auto_host_sni} and {@code auto_sni_san_validation}, which are not in the Envoy 1.24 API this control
     * plane generates for (Envoy refuses unknown fields in a bootstrap); the HTTP options' {@code auto_sni} and
     * {@code auto_san_validation} take the name from the request's {@code :authority}, which for Envoy's own gRPC
     * client is the cluster name, the same for every endpoint.
     */
    private Cluster adsCluster() {
        String host = params.xdsHost();
        List<XdsAddress> addresses = params.xdsAddresses();
        Cluster.DiscoveryType type = addresses.stream().allMatch(XdsAddress::isIpLiteral)
                ? Cluster.DiscoveryType.STATIC : Cluster.DiscoveryType.STRICT_DNS;
        UpstreamTlsContext tls = UpstreamTlsContext.newBuilder()
                .setSni(host)
                .setCommonTlsContext(CommonTlsContext.newBuilder()
                        .setTlsParams(TlsParameters.newBuilder()
                                .setTlsMinimumProtocolVersion(TlsParameters.TlsProtocol.TLSv1_2))
                        .setValidationContextSdsSecretConfig(SdsSecretConfig.newBuilder()
                                .setName(EnvoyNames.CP_VALIDATION_SECRET)))
                .build();
        Configurer<Cluster.Builder> transport = params.adsOverTls()
                ? cluster -> cluster.setTransportSocket(TransportSocket.newBuilder()
                        .setName(TLS_TRANSPORT_SOCKET)
                        .setTypedConfig(Protos.pack(tls)))
                : cluster -> { };
        return staticCluster(EnvoyNames.ADS_CLUSTER, addresses.stream()
                .map(address -> Address.newBuilder().setSocketAddress(SocketAddress.newBuilder()
                        .setAddress(address.host()).setPortValue(address.port())).build())
                .toList())
                .configure(cluster -> cluster.setType(type))
                .configure(transport)
                .build();
    }

    /** {@code access_log_sink}: the agent's legacy gRPC access-log pipe, kept in every bootstrap as in Kuma. */
    private Cluster accessLogSink(BootstrapRequest request) {
        return staticCluster(EnvoyNames.ACCESS_LOG_SINK_CLUSTER, List.of(Address.newBuilder()
                .setPipe(Pipe.newBuilder().setPath(accessLogSocket(request.name(), request.mesh())))
                .build()))
                .configure(cluster -> cluster.setType(Cluster.DiscoveryType.STATIC))
                .build();
    }

    /** {@code /tmp/kuma-al-<dpName>-<mesh>.sock} (envoy-config §5.5). */
    static String accessLogSocket(String name, String mesh) {
        return "/tmp/kuma-al-" + name + "-" + mesh + ".sock";
    }

    /** What both static clusters share: their endpoints, the connect timeout, HTTP/2 and TCP keepalive. */
    private ClusterBuilder staticCluster(String name, List<Address> addresses) {
        LocalityLbEndpoints.Builder endpoints = LocalityLbEndpoints.newBuilder();
        addresses.forEach(address -> endpoints.addLbEndpoints(LbEndpoint.newBuilder()
                .setEndpoint(Endpoint.newBuilder().setAddress(address))));
        Configurer<Cluster.Builder> endpoint = cluster -> cluster.setLoadAssignment(ClusterLoadAssignment.newBuilder()
                .setClusterName(name)
                .addEndpoints(endpoints));
        Configurer<Cluster.Builder> keepalive = cluster -> cluster.setUpstreamConnectionOptions(
                UpstreamConnectionOptions.newBuilder().setTcpKeepalive(TcpKeepalive.newBuilder()
                        .setKeepaliveProbes(UInt32Value.of(3))
                        .setKeepaliveTime(UInt32Value.of(10))
                        .setKeepaliveInterval(UInt32Value.of(10))));
        return ClusterBuilder.named(name)
                .configure(ClusterConfigurers.connectTimeout(params.xdsConnectTimeout()))
                .configure(endpoint)
                .configure(ClusterConfigurers.upstreamHttp2())
                .configure(keepalive);
    }

    /**
     * {@code cp_validation_ctx}: the DP server's CA (the request's {@code caCert} first) and the SANs it may name:
     * the host of each control-plane instance (any one matching is enough, as Envoy reads a list of matchers).
     */
    private Secret cpValidationContext(BootstrapRequest request) {
        String ca = request.caCert().isEmpty() ? params.serverCaCert() : request.caCert();
        CertificateValidationContext.Builder validation = CertificateValidationContext.newBuilder();
        params.xdsAddresses().stream().map(XdsAddress::host).distinct().forEach(host ->
                validation.addMatchSubjectAltNames(StringMatcher.newBuilder().setExact(host)));
        return Secret.newBuilder()
                .setName(EnvoyNames.CP_VALIDATION_SECRET)
                .setValidationContext(validation
                        .setTrustedCa(DataSource.newBuilder().setInlineBytes(ByteString.copyFromUtf8(ca))))
                .build();
    }

    static boolean isIpLiteral(String host) {
        return XdsAddress.isIpLiteral(host);
    }

    private static TagSpecifier tag(String name, String regex) {
        return TagSpecifier.newBuilder().setTagName(name).setRegex(regex).build();
    }

    private static Value string(String value) {
        return Value.newBuilder().setStringValue(value).build();
    }

    private static Value struct(Map<String, Value> fields) {
        return Value.newBuilder().setStructValue(Struct.newBuilder().putAllFields(fields)).build();
    }
}
