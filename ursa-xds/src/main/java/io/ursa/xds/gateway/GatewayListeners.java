package io.ursa.xds.gateway;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.TypedExtensionConfig;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.compression.gzip.compressor.v3.Gzip;
import io.envoyproxy.envoy.extensions.filters.http.compressor.v3.Compressor;
import io.envoyproxy.envoy.extensions.filters.network.connection_limit.v3.ConnectionLimit;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsParameters;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.envoy.Configurer;
import io.ursa.xds.envoy.Protos;
import io.ursa.xds.envoy.listeners.FilterChainConfigurers;
import io.ursa.xds.envoy.listeners.HttpConnectionManagerBuilder;
import io.ursa.xds.envoy.listeners.ListenerBuilder;
import io.ursa.xds.envoy.listeners.ListenerConfigurers;
import io.ursa.xds.envoy.listeners.NetworkFilters;
import io.ursa.xds.envoy.listeners.TcpProxyConfigurers;
import io.ursa.xds.envoy.tls.TlsContexts;
import io.ursa.xds.generator.GatewayUpstreams;
import io.ursa.xds.names.EnvoyNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The Envoy listener of a gateway port (Kuma 2.0's {@code GenerateListener} in {@code listener_generator.go} and
 * the filter chain generators of {@code filter_chain_generator.go}): on the Dataplane's {@code networking.address},
 * {@code trafficDirection: INBOUND}, {@code enableReusePort: true}, a 32 KiB buffer limit and the TLS inspector.
 * <ul>
 *   <li>HTTP: one chain, Kuma's gateway HTTP connection manager ({@link #connectionManager}) on RDS;</li>
 *   <li>HTTPS: one chain per host matching {@code transportProtocol: tls} and its hostname as SNI (no SNI match for
 *       {@code *}), terminating TLS
 *       (TLS 1.2 at least, ALPN {@code h2, http/1.1}, no client certificate) with the host's certificates over
 *       SDS;</li>
 *   <li>cross-mesh HTTP: one chain matching {@code tls} and ALPN {@code kuma}, terminating mesh mTLS with the
 *       gateway's identity and trusting {@code mesh_ca:secret:all} (every mTLS mesh's roots) with a client
 *       certificate required and no SAN match, and the network RBAC filter of the mesh's TrafficPermission first
 *       ({@link GatewayUpstreams#crossMeshRbac}). Kuma 2.0 builds one such chain per host, which Envoy refuses for
 *       two hosts (identical matches); Ursa builds one for the listener, its hosts told apart by RDS;</li>
 *   <li>TCP: a tcp_proxy to the weighted clusters of every TCP route entry, sorted by name, with the Retry's
 *       {@code maxConnectAttempts}.</li>
 * </ul>
 * {@code resources.connectionLimit}: Kuma sets the runtime key
 * {@code envoy.resource_limits.listener.<name>.connection_limit} over RTDS; Ursa serves no RTDS, so it puts Envoy's
 * {@code envoy.filters.network.connection_limit} filter (same limit, per listener) first in every chain.
 * Stateless.
 */
final class GatewayListeners {
    static final String SERVER_NAME = "Kuma Gateway";
    static final String COMPRESSOR_FILTER = "gzip-compress";
    static final String CONNECTION_LIMIT_FILTER = "envoy.filters.network.connection_limit";
    private static final ConfigSource ADS = ConfigSource.newBuilder()
            .setAds(AggregatedConfigSource.getDefaultInstance()).setResourceApiVersion(ApiVersion.V3).build();

    private GatewayListeners() {
    }

    /** The listener with {@code chains}, in order. */
    static Listener listener(ProxyContext proxy, GatewaySelection.Listener listener, List<FilterChain> chains) {
        ListenerBuilder builder = ListenerBuilder.named(listener.name())
                .configure(ListenerConfigurers.inbound(proxy.spec().networking().address(), listener.port()))
                .configure(l -> l.setEnableReusePort(Protos.bool(true))
                        .setPerConnectionBufferLimitBytes(UInt32Value.of(GatewayUpstreams.CONNECTION_BUFFER_BYTES)))
                .configure(ListenerConfigurers.tlsInspector());
        List<FilterChain> limited = new ArrayList<>();
        for (FilterChain chain : chains) {
            limited.add(listener.connectionLimit() > 0 ? limited(chain, listener) : chain);
        }
        builder.configure(l -> l.addAllFilterChains(limited));
        return builder.build();
    }

    private static FilterChain limited(FilterChain chain, GatewaySelection.Listener listener) {
        Filter limit = Filter.newBuilder().setName(CONNECTION_LIMIT_FILTER).setTypedConfig(Protos.pack(
                ConnectionLimit.newBuilder().setStatPrefix(EnvoyNames.statName(listener.name()))
                        .setMaxConnections(com.google.protobuf.UInt64Value.of(listener.connectionLimit()))
                        .build())).build();
        return chain.toBuilder().clearFilters().addFilters(limit).addAllFilters(chain.getFiltersList()).build();
    }

    /** A plain HTTP chain. */
    static FilterChain http(ProxyContext proxy, GatewaySelection.Listener listener) {
        return FilterChain.newBuilder().addFilters(connectionManager(proxy, listener)).build();
    }

    /** A TLS-terminating chain for {@code hostname} with the certificates of {@code secrets}. */
    static FilterChain https(ProxyContext proxy, GatewaySelection.Listener listener, String hostname,
                             List<String> secrets) {
        CommonTlsContext.Builder common = CommonTlsContext.newBuilder()
                .setTlsParams(TlsParameters.newBuilder()
                        .setTlsMinimumProtocolVersion(TlsParameters.TlsProtocol.TLSv1_2))
                .addAlpnProtocols("h2").addAlpnProtocols("http/1.1");
        secrets.forEach(name -> common.addTlsCertificateSdsSecretConfigs(SdsSecretConfig.newBuilder()
                .setName(name).setSdsConfig(ADS)));
        DownstreamTlsContext tls = DownstreamTlsContext.newBuilder()
                .setCommonTlsContext(common)
                .setRequireClientCertificate(Protos.bool(false))
                .build();
        FilterChain.Builder chain = FilterChain.newBuilder().addFilters(connectionManager(proxy, listener));
        List<Configurer<FilterChain.Builder>> configurers = List.of(
                FilterChainConfigurers.transportProtocol(FilterChainConfigurers.TLS),
                // "*" matches every name, but Envoy only knows "*.domain" and more specific ones (Kuma leaves it out)
                FilterChainConfigurers.serverNames(hostname.equals("*") ? List.of() : List.of(hostname)),
                FilterChainConfigurers.transportSocket(TlsContexts.transportSocket(tls)));
        configurers.forEach(c -> c.configure(chain));
        return chain.build();
    }

    /** The cross-mesh chain (see the type comment); the mesh has mTLS on. */
    static FilterChain crossMesh(ProxyContext proxy, GatewaySelection.Listener listener) {
        String mesh = proxy.mesh().name();
        DownstreamTlsContext sds = TlsContexts.downstreamSds(EnvoyNames.identityCertSecret(mesh),
                EnvoyNames.ALL_MESHES_CA_SECRET, List.of());
        // a proxyless gRPC caller offers ALPN h2 only and needs it selected, where a sidecar offers "kuma"
        DownstreamTlsContext tls = sds.toBuilder().setCommonTlsContext(sds.getCommonTlsContext().toBuilder()
                .addAllAlpnProtocols(CROSS_MESH_SERVED_ALPN)).build();
        FilterChain.Builder chain = FilterChain.newBuilder()
                .addFilters(NetworkFilters.rbac(EnvoyNames.rbacStatPrefix(listener.name()),
                        GatewayUpstreams.crossMeshRbac(proxy, GatewayUpstreams.identifyingService(proxy.spec()))))
                .addFilters(connectionManager(proxy, listener));
        List<Configurer<FilterChain.Builder>> configurers = List.of(
                FilterChainConfigurers.transportProtocol(FilterChainConfigurers.TLS),
                FilterChainConfigurers.applicationProtocols(CROSS_MESH_MATCHED_ALPN),
                FilterChainConfigurers.transportSocket(TlsContexts.transportSocket(tls)));
        configurers.forEach(c -> c.configure(chain));
        return chain.build();
    }

    /**
     * The ALPN a cross-mesh chain matches: Kuma's {@code kuma}, which sidecars of other meshes offer, and
     * {@code h2}, the only one a proxyless gRPC caller (grpc-xds) offers. Kuma 2.0 matches {@code kuma} alone.
     */
    static final List<String> CROSS_MESH_MATCHED_ALPN = List.of(TlsContexts.KUMA_ALPN, "h2");

    /**
     * The ALPN a cross-mesh chain selects: gRPC refuses a TLS connection on which the server selected none. A sidecar
     * offering only {@code kuma} gets none, and its bytes are read by the connection manager as before.
     */
    static final List<String> CROSS_MESH_SERVED_ALPN = List.of("h2", "http/1.1");

    /** The TCP chain to {@code clusters} (name and weight, sorted by name). */
    static FilterChain tcp(ProxyContext proxy, List<TcpProxyConfigurers.WeightedCluster> clusters,
                           Configurer<TcpProxy.Builder> retry) {
        String service = GatewayUpstreams.identifyingService(proxy.spec());
        return FilterChain.newBuilder().addFilters(NetworkFilters.tcpProxy(EnvoyNames.statName(service),
                List.of(TcpProxyConfigurers.clusters(clusters), retry))).build();
    }

    /**
     * Kuma's gateway HTTP connection manager ({@code newFilterChain}): stats under the gateway's service, server
     * name {@value #SERVER_NAME}, routes over RDS named as the listener, path normalization, merged slashes, escaped
     * slashes unescaped and redirected, any host port stripped, the remote address used, a 0.5s request headers
     * timeout, 5s stream idle timeout, 5 minute connection idle timeout, headers with underscores rejected, Kuma's
     * HTTP/2 window and stream settings, and the HTTP filters: the bucket-less local rate limit, gzip compression,
     * then the router; tracing as the proxy's TrafficTrace says.
     */
    static Filter connectionManager(ProxyContext proxy, GatewaySelection.Listener listener) {
        String service = GatewayUpstreams.identifyingService(proxy.spec());
        HttpFilter gzip = HttpFilter.newBuilder().setName(COMPRESSOR_FILTER).setTypedConfig(Protos.pack(
                Compressor.newBuilder()
                        .setCompressorLibrary(TypedExtensionConfig.newBuilder().setName("gzip")
                                .setTypedConfig(Protos.pack(Gzip.getDefaultInstance())))
                        .setResponseDirectionConfig(Compressor.ResponseDirectionConfig.newBuilder()
                                .setDisableOnEtagHeader(true))
                        .build())).build();
        HttpConnectionManager hcm = HttpConnectionManagerBuilder.withStatPrefix(EnvoyNames.statName(service))
                .configure(h -> h.setServerName(SERVER_NAME)
                        .setRds(Rds.newBuilder().setConfigSource(ADS).setRouteConfigName(listener.name()))
                        .setNormalizePath(Protos.bool(true))
                        .setMergeSlashes(true)
                        .setPathWithEscapedSlashesAction(
                                HttpConnectionManager.PathWithEscapedSlashesAction.UNESCAPE_AND_REDIRECT)
                        .setStripAnyHostPort(true)
                        .setUseRemoteAddress(Protos.bool(true))
                        .setRequestHeadersTimeout(Protos.duration(Duration.ofMillis(500)))
                        .setStreamIdleTimeout(Protos.duration(Duration.ofSeconds(5)))
                        .setCommonHttpProtocolOptions(HttpProtocolOptions.newBuilder()
                                .setIdleTimeout(Protos.duration(Duration.ofMinutes(5)))
                                .setHeadersWithUnderscoresAction(
                                        HttpProtocolOptions.HeadersWithUnderscoresAction.REJECT_REQUEST))
                        .setHttp2ProtocolOptions(Http2ProtocolOptions.newBuilder()
                                .setMaxConcurrentStreams(UInt32Value.of(100))
                                .setInitialStreamWindowSize(UInt32Value.of(64 * 1024))
                                .setInitialConnectionWindowSize(UInt32Value.of(1024 * 1024))
                                .setAllowConnect(true)))
                .configure(GatewayUpstreams.rateLimitFilter())
                .configure(h -> h.addHttpFilters(gzip))
                .configure(GatewayUpstreams.tracing(proxy))
                .build();
        return NetworkFilters.httpConnectionManager(hcm);
    }
}
