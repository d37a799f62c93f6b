package io.ursa.dp;

import com.google.protobuf.ByteString;
import io.envoyproxy.controlplane.cache.ConfigWatcher;
import io.envoyproxy.controlplane.cache.DeltaResponse;
import io.envoyproxy.controlplane.cache.DeltaWatch;
import io.envoyproxy.controlplane.cache.DeltaXdsRequest;
import io.envoyproxy.controlplane.cache.Response;
import io.envoyproxy.controlplane.cache.Watch;
import io.envoyproxy.controlplane.cache.XdsRequest;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.controlplane.server.exception.RequestException;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A real ADS server on loopback (java-control-plane's {@link V3DiscoveryServer} over a {@link SimpleCache}, gRPC over
 * Netty, TLS with a given certificate or plaintext) that serves Secrets, or Listeners. It records every request and {@code authorization} header it gets, and can refuse
 * streams or break the next one, as the DP server does. Like the DP server, it does not send a rejected snapshot
 * again at once: a NACK waits for the next snapshot (SimpleCache alone would answer it with the same one, in a loop),
 * and it answers with the requested resources it has when some are missing.
 */
final class SecretsControlPlane implements AutoCloseable {
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final SimpleCache<String> cache = new SimpleCache<>(node -> "default");
    private final List<DiscoveryRequest> requests = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final AtomicReference<Status> refusal = new AtomicReference<>();
    private final AtomicReference<Status> breakNext = new AtomicReference<>();
    private final AtomicInteger closedStreams = new AtomicInteger();
    private final Server server;
    private final boolean tls;

    private SecretsControlPlane(Optional<ServerCertificates.Server> certificate, int port) throws IOException {
        this.tls = certificate.isPresent();
        DiscoveryServerCallbacks callbacks = new DiscoveryServerCallbacks() {
            @Override
            public void onV3StreamRequest(long streamId, DiscoveryRequest request) throws RequestException {
                requests.add(request);
                Status refused = refusal.get();
                if (refused != null) {
                    throw new RequestException(refused);
                }
                Status broken = breakNext.getAndSet(null);
                if (broken != null) {
                    throw new RequestException(broken);
                }
            }

            @Override
            public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) {
                throw new UnsupportedOperationException("the agent uses state-of-the-world ADS");
            }

            @Override
            public void onStreamClose(long streamId, String typeUrl) {
                closedStreams.incrementAndGet();
            }

            @Override
            public void onStreamCloseWithError(long streamId, String typeUrl, Throwable error) {
                closedStreams.incrementAndGet();
            }
        };
        V3DiscoveryServer xds = new V3DiscoveryServer(callbacks, new ConfigWatcher() {
            @Override
            public Watch createWatch(boolean ads, XdsRequest request, Set<String> knownResourceNames,
                                     Consumer<Response> responseConsumer, boolean hasClusterChanged,
                                     boolean allowDefaultEmptyEdsUpdate) {
                XdsRequest answered = request;
                Snapshot current = cache.getSnapshot("default");
                if (current != null && !request.getResourceNamesList().isEmpty()) {
                    // like the DP server, answer with the requested resources that exist (SimpleCache alone stays
                    // silent while one is missing, e.g. the cross-mesh CA of a control plane that has none)
                    Set<String> present = current.resources(request.getResourceType()).keySet();
                    List<String> names = request.getResourceNamesList().stream().filter(present::contains).toList();
                    if (!names.isEmpty()) {
                        answered = XdsRequest.create(request.v3Request().toBuilder().clearResourceNames()
                                .addAllResourceNames(names).build());
                    }
                }
                if (request.hasErrorDetail() && current != null) {
                    answered = XdsRequest.create(answered.v3Request().toBuilder()
                            .setVersionInfo(current.version(request.getResourceType())).build());
                }
                return cache.createWatch(ads, answered, knownResourceNames, responseConsumer, hasClusterChanged,
                        allowDefaultEmptyEdsUpdate);
            }

            @Override
            public DeltaWatch createDeltaWatch(DeltaXdsRequest request, String requesterVersion,
                                               Map<String, String> resourceVersions, Set<String> pendingResources,
                                               boolean isWildcard, Consumer<DeltaResponse> responseConsumer,
                                               boolean hasClusterChanged) {
                throw new UnsupportedOperationException("the agent uses state-of-the-world ADS");
            }
        });
        ServerInterceptor recordAuthorization = new ServerInterceptor() {
            @Override
            public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                               ServerCallHandler<Q, A> next) {
                String value = headers.get(AUTHORIZATION);
                authorizations.add(value == null ? "" : value);
                return next.startCall(call, headers);
            }
        };
        ServerCredentials credentials = certificate.map(ServerCertificates.Server::grpcCredentials)
                .orElseGet(InsecureServerCredentials::create);
        server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), credentials)
                .addService(ServerInterceptors.intercept(xds.getAggregatedDiscoveryServiceImpl(), recordAuthorization))
                .build()
                .start();
    }

    /** A plaintext server ({@code dpServer.plaintext}). */
    static SecretsControlPlane start() throws IOException {
        return new SecretsControlPlane(Optional.empty(), 0);
    }

    /** A TLS server with {@code certificate}. */
    static SecretsControlPlane startTls(ServerCertificates.Server certificate) throws IOException {
        return new SecretsControlPlane(Optional.of(certificate), 0);
    }

    /** A TLS server with {@code certificate} on {@code port}: an instance that comes back where it was. */
    static SecretsControlPlane startTls(ServerCertificates.Server certificate, int port) throws IOException {
        return new SecretsControlPlane(Optional.of(certificate), port);
    }

    /** {@code https://127.0.0.1:<port>} or {@code http://...}, as {@code --cp-address}. */
    String address() {
        return (tls ? "https" : "http") + "://127.0.0.1:" + server.getPort();
    }

    int port() {
        return server.getPort();
    }

    /** Serves {@code secrets} as snapshot {@code version}. */
    void serve(String version, Secret... secrets) {
        cache.setSnapshot("default", Snapshot.create(List.of(), List.of(), List.of(), List.of(), List.of(secrets),
                version));
    }

    /** Serves {@code listeners} as snapshot {@code version} (the DNS table's {@code kuma:dns}). */
    void serveListeners(String version, Listener... listeners) {
        cache.setSnapshot("default", Snapshot.create(List.of(), List.of(), List.of(listeners), List.of(), List.of(),
                version));
    }

    /** Closes every stream at its first request with {@code status}, as the DP server refuses a proxy. */
    void refuse(Status status) {
        refusal.set(status);
    }

    /** Closes the stream that sends the next request with {@code status}. */
    void breakNextRequest(Status status) {
        breakNext.set(status);
    }

    List<DiscoveryRequest> requests() {
        return List.copyOf(requests);
    }

    List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    int closedStreams() {
        return closedStreams.get();
    }

    static Secret identity(String name, String certificatePem, String keyPem) {
        return Secret.newBuilder().setName(name).setTlsCertificate(TlsCertificate.newBuilder()
                .setCertificateChain(bytes(certificatePem))
                .setPrivateKey(bytes(keyPem))).build();
    }

    static Secret ca(String name, String caPem) {
        return Secret.newBuilder().setName(name).setValidationContext(CertificateValidationContext.newBuilder()
                .setTrustedCa(bytes(caPem))).build();
    }

    private static DataSource bytes(String pem) {
        return DataSource.newBuilder().setInlineBytes(ByteString.copyFrom(pem, StandardCharsets.US_ASCII)).build();
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow();
        server.awaitTermination(10, TimeUnit.SECONDS);
    }
}
