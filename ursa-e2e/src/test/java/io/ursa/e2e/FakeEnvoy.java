package io.ursa.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.protobuf.Any;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.ApiConfigSource;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;

/**
 * Stands in for the Envoy binary, which cannot run here, behind a real {@code ursa-dp}: answers {@code --version},
 * then reads the bootstrap {@code -c FILE} strictly into Envoy's v3 {@code Bootstrap} proto and does what Envoy
 * does with it on the wire: one ADS stream to {@code ads_cluster} with the bootstrap's node and initial metadata
 * (the dataplane token), in the variant the bootstrap's {@code api_type} names (state of the world here, delta in
 * {@link FakeEnvoyDelta}), subscribing to CDS and LDS, to the SDS secrets its listeners name
 * ({@link FakeEnvoySecrets}, which also writes them out for tests), and ACKing every response. Each received resource is unpacked
 * into its Envoy proto and listed in {@code received.txt} next to the bootstrap; a stream error goes to
 * {@code stream-error.txt}. Runs until it is terminated, as Envoy does.
 */
public final class FakeEnvoy {
    static final String VERSION = "envoy  version: 0000000000000000000000000000000000000000/1.24.2/Clean/RELEASE/"
            + "BoringSSL";

    private static final String LISTENER_TYPE = "type.googleapis.com/envoy.config.listener.v3.Listener";

    private FakeEnvoy() {
    }

    public static void main(String[] args) throws Exception {
        List<String> argv = List.of(args);
        if (argv.contains("--version")) {
            System.out.println(VERSION);
            return;
        }
        Path bootstrapFile = Path.of(argv.get(argv.indexOf("-c") + 1));
        Bootstrap bootstrap = parse(bootstrapFile);
        Path received = bootstrapFile.resolveSibling("received.txt");
        Path streamError = bootstrapFile.resolveSibling("stream-error.txt");
        Cluster ads = bootstrap.getStaticResources().getClustersList().stream()
                .filter(c -> c.getName().equals("ads_cluster")).findFirst().orElseThrow();
        SocketAddress address = ads.getLoadAssignment().getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress()
                .getSocketAddress();
        ManagedChannel channel = channel(bootstrap, ads, address);
        Metadata headers = new Metadata();
        for (HeaderValue header : bootstrap.getDynamicResources().getAdsConfig().getGrpcServices(0)
                .getInitialMetadataList()) {
            headers.put(Metadata.Key.of(header.getKey(), Metadata.ASCII_STRING_MARSHALLER), header.getValue());
        }
        CountDownLatch done = new CountDownLatch(1);
        var stub = AggregatedDiscoveryServiceGrpc.newStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
        if (bootstrap.getDynamicResources().getAdsConfig().getApiType() == ApiConfigSource.ApiType.DELTA_GRPC) {
            FakeEnvoyDelta.run(stub, bootstrap.getNode(), bootstrapFile.getParent(),
                    (file, line) -> append(bootstrapFile.resolveSibling(file), line + "\n"), done);
            done.await();
            channel.shutdownNow();
            System.exit(1);
        }
        StreamObserver<DiscoveryRequest>[] requests = new StreamObserver[1];
        Set<String> secrets = new TreeSet<>();
        requests[0] = stub.streamAggregatedResources(new StreamObserver<>() {
            @Override
            public void onNext(DiscoveryResponse response) {
                StringBuilder lines = new StringBuilder();
                for (Any any : response.getResourcesList()) {
                    lines.append(response.getTypeUrl()).append(' ').append(name(any)).append('\n');
                }
                append(received, lines.toString());
                Set<String> named = Set.of();
                try {
                    if (response.getTypeUrl().equals(LISTENER_TYPE)) {
                        List<Listener> listeners = new ArrayList<>();
                        for (Any any : response.getResourcesList()) {
                            listeners.add(any.unpack(Listener.class));
                        }
                        named = FakeEnvoySecrets.namedBy(listeners);
                    } else if (response.getTypeUrl().equals(FakeEnvoySecrets.SECRET_TYPE)) {
                        for (Any any : response.getResourcesList()) {
                            FakeEnvoySecrets.write(bootstrapFile.getParent(), any);
                        }
                    }
                } catch (Exception e) {
                    append(streamError, "could not read a " + response.getTypeUrl() + ": " + e + "\n");
                }
                synchronized (requests) {
                    DiscoveryRequest.Builder ack = DiscoveryRequest.newBuilder().setTypeUrl(response.getTypeUrl())
                            .setVersionInfo(response.getVersionInfo()).setResponseNonce(response.getNonce());
                    if (response.getTypeUrl().equals(FakeEnvoySecrets.SECRET_TYPE)) {
                        ack.addAllResourceNames(secrets);
                    }
                    requests[0].onNext(ack.build());
                    if (!named.isEmpty() && !named.equals(secrets)) {
                        // as Envoy: the secrets its new listeners name, asked for by name
                        secrets.clear();
                        secrets.addAll(named);
                        requests[0].onNext(DiscoveryRequest.newBuilder().setTypeUrl(FakeEnvoySecrets.SECRET_TYPE)
                                .addAllResourceNames(secrets).build());
                    }
                }
            }

            @Override
            public void onError(Throwable t) {
                append(streamError, String.valueOf(t.getMessage()) + "\n");
                done.countDown();
            }

            @Override
            public void onCompleted() {
                done.countDown();
            }
        });
        synchronized (requests) {
            // Like Envoy with set_node_on_first_message_only: the node travels on the first request only.
            requests[0].onNext(DiscoveryRequest.newBuilder().setNode(bootstrap.getNode())
                    .setTypeUrl("type.googleapis.com/envoy.config.cluster.v3.Cluster").build());
            requests[0].onNext(DiscoveryRequest.newBuilder().setTypeUrl(LISTENER_TYPE).build());
        }
        done.await();
        channel.shutdownNow();
        System.exit(1);
    }

    /**
     * The channel to {@code ads_cluster} as Envoy opens it: plaintext without a transport socket; with the TLS
     * transport socket, TLS verified against the static secret it names (the DP server's CA) and that secret's
     * exact subject alternative name, with the cluster's SNI.
     */
    private static ManagedChannel channel(Bootstrap bootstrap, Cluster ads, SocketAddress address)
            throws Exception {
        if (!ads.hasTransportSocket()) {
            return ManagedChannelBuilder.forAddress(address.getAddress(), address.getPortValue()).usePlaintext()
                    .build();
        }
        UpstreamTlsContext tls = ads.getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class);
        String secretName = tls.getCommonTlsContext().getValidationContextSdsSecretConfig().getName();
        Secret secret = bootstrap.getStaticResources().getSecretsList().stream()
                .filter(s -> s.getName().equals(secretName)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no static secret " + secretName));
        CertificateValidationContext validation = secret.getValidationContext();
        String expectedSan = validation.getMatchSubjectAltNames(0).getExact();
        SslContext ssl = GrpcSslContexts.forClient()
                .trustManager(new ByteArrayInputStream(validation.getTrustedCa().getInlineBytes().toByteArray()))
                .build();
        return NettyChannelBuilder.forAddress(address.getAddress(), address.getPortValue())
                .sslContext(ssl).overrideAuthority(tls.getSni().isEmpty() ? expectedSan : tls.getSni()).build();
    }

    /** The bootstrap YAML as Envoy reads it: proto JSON, unknown fields refused. */
    static Bootstrap parse(Path file) throws Exception {
        Object tree = new ObjectMapper(new YAMLFactory()).readValue(file.toFile(), Object.class);
        String json = new ObjectMapper().writeValueAsString(tree);
        Bootstrap.Builder builder = Bootstrap.newBuilder();
        JsonFormat.parser().usingTypeRegistry(JsonFormat.TypeRegistry.newBuilder()
                .add(List.of(HttpProtocolOptions.getDescriptor(), UpstreamTlsContext.getDescriptor(),
                        FileAccessLog.getDescriptor()))
                .build()).merge(json, builder);
        return builder.build();
    }

    static String name(Any any) {
        try {
            if (any.is(Listener.class)) {
                return any.unpack(Listener.class).getName();
            }
            if (any.is(Cluster.class)) {
                return any.unpack(Cluster.class).getName();
            }
            return "?";
        } catch (Exception e) {
            return "UNPARSABLE(" + e.getMessage() + ")";
        }
    }

    private static void append(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
