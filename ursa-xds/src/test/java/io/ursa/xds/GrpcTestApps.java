package io.ursa.xds;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.dataplane.GrpcBootstrap;
import io.ursa.api.resource.Resource;
import io.ursa.xds.resources.EnvoyType;
import io.ursa.xds.snapshot.ProxySnapshots;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the tests that run real grpc-xds applications against our generators share: a unary method that answers a
 * string, the bootstrap of a Dataplane as the map grpc-xds takes, an ADS server, free ports, and a recorder of
 * NACKs.
 */
final class GrpcTestApps {
    /** {@code ursa.test.Echo/Who}: the server answers who it is, or who called. */
    static final MethodDescriptor<String, String> WHO = MethodDescriptor.<String, String>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName("ursa.test.Echo", "Who"))
            .setRequestMarshaller(new Utf8())
            .setResponseMarshaller(new Utf8())
            .build();

    private GrpcTestApps() {
    }

    /** The bootstrap of {@code dataplane} for a plaintext ADS server on {@code adsPort}, as grpc-xds reads it. */
    static Map<String, Object> bootstrap(int adsPort, Resource<DataplaneSpec> dataplane) {
        String json = GrpcBootstrap.of("127.0.0.1:" + adsPort, GrpcBootstrap.ChannelCreds.insecure(), dataplane,
                Optional.empty()).toJson();
        try {
            return new ObjectMapper().readValue(json, new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A plaintext ADS server on 127.0.0.1 (a free port) that serves {@code snapshots}, hands them every
     * acknowledgement as the DP server does (a snapshot that drops clusters waits for one, see
     * {@link ProxySnapshots}), and records in {@code nacks} every request that rejected the last response.
     */
    static Server startAds(ProxySnapshots snapshots, List<DiscoveryRequest> nacks) throws IOException {
        return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new V3DiscoveryServer(new NackRecorder(nacks, snapshots), snapshots.cache())
                        .getAggregatedDiscoveryServiceImpl())
                .build()
                .start();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * Records every request that carries an error (the proxy rejected, NACKed, the last response) and hands every
     * acknowledgement to the snapshots.
     */
    record NackRecorder(List<DiscoveryRequest> nacks, ProxySnapshots snapshots) implements DiscoveryServerCallbacks {
        @Override
        public void onV3StreamRequest(long streamId, DiscoveryRequest request) {
            if (request.hasErrorDetail()) {
                nacks.add(request);
            } else if (!request.getResponseNonce().isEmpty()) {
                EnvoyType.ofTypeUrl(request.getTypeUrl()).ifPresent(type -> snapshots.acknowledged(
                        request.getNode().getId(), type, request.getVersionInfo()));
            }
        }

        @Override
        public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) {
        }
    }

    private static final class Utf8 implements MethodDescriptor.Marshaller<String> {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
