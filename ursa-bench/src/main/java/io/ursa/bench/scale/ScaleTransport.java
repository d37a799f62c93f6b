package io.ursa.bench.scale;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.ursa.ca.controlplane.ControlPlaneCertificates;
import io.ursa.core.manager.ResourceManager;
import io.ursa.core.store.MemoryResourceStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLException;

/**
 * How the simulated sidecars reach a control plane in a scale run: over TLS (the DP server's default) or in
 * plaintext, and how many ADS streams share one HTTP/2 connection (1 is what real sidecars do: one connection
 * each, so one TLS handshake each; more spreads N proxies over fewer connections). For TLS the harness issues one
 * server certificate for {@code 127.0.0.1} and gives it to both control planes (Ursa through
 * {@code URSA_GENERAL_TLS_CERT_FILE}/{@code KEY_FILE}, the baseline through its arguments), so both do the same
 * handshakes with the same keys.
 */
record ScaleTransport(boolean tls, int streamsPerConnection, Path certificateFile, Path keyFile, String caPem) {
    ScaleTransport {
        if (streamsPerConnection < 1) {
            throw new IllegalArgumentException("invalid --streams-per-connection: " + streamsPerConnection
                    + " (expected: at least 1)");
        }
    }

    /** {@code --transport tls|plaintext}; a TLS transport writes its certificate into {@code dir}. */
    static ScaleTransport of(String flag, int streamsPerConnection, Path dir) {
        return switch (flag) {
            case "plaintext" -> new ScaleTransport(false, streamsPerConnection, null, null, "");
            case "tls" -> withNewCertificate(streamsPerConnection, dir);
            default -> throw new IllegalArgumentException("invalid --transport: " + flag
                    + " (expected: tls or plaintext)");
        };
    }

    private static ScaleTransport withNewCertificate(int streamsPerConnection, Path dir) {
        ResourceManager scratch = ResourceManager.create(new MemoryResourceStore(), Clock.systemUTC(), List.of());
        ControlPlaneCertificates.Material material = new ControlPlaneCertificates(scratch, Clock.systemUTC(),
                new SecureRandom()).own(List.of("127.0.0.1", "localhost"));
        try {
            Path certificate = Files.writeString(dir.resolve("dp-server-cert.pem"), material.certificateChainPem());
            Path key = Files.writeString(dir.resolve("dp-server-key.pem"), material.privateKeyPem());
            return new ScaleTransport(true, streamsPerConnection, certificate, key, material.caCertificatePem());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String describe() {
        return (tls ? "TLS" : "plaintext") + ", " + streamsPerConnection + " stream(s) per connection";
    }

    /** The environment that makes Ursa's DP server speak this transport and take every stream from loopback. */
    Map<String, String> ursaEnvironment() {
        return tls ? Map.of("URSA_GENERAL_TLS_CERT_FILE", certificateFile.toString(),
                "URSA_GENERAL_TLS_KEY_FILE", keyFile.toString(), "URSA_DP_SERVER_MAX_STREAMS_PER_CLIENT", "0")
                : Map.of("URSA_DP_SERVER_PLAINTEXT", "true", "URSA_DP_SERVER_MAX_STREAMS_PER_CLIENT", "0");
    }

    /** The baseline's arguments after the scenario's: {@code tls CERT KEY} or {@code plaintext}. */
    List<String> baselineArguments() {
        return tls ? List.of("tls", certificateFile.toString(), keyFile.toString()) : List.of("plaintext");
    }

    /** A channel to the control plane on {@code port} of loopback. */
    ManagedChannel channel(int port) {
        NettyChannelBuilder builder = NettyChannelBuilder.forAddress("127.0.0.1", port)
                .maxInboundMessageSize(256 << 20).directExecutor();
        if (!tls) {
            return builder.usePlaintext().build();
        }
        try {
            return builder.sslContext(GrpcSslContexts.forClient().trustManager(new ByteArrayInputStream(
                    caPem.getBytes(StandardCharsets.US_ASCII))).build()).build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot make a TLS client context: " + e.getMessage(), e);
        }
    }

    /** Sets up the baseline server's side of {@code baselineArguments()}. */
    static NettyServerBuilder serve(NettyServerBuilder builder, List<String> arguments) throws SSLException {
        if (arguments.get(0).equals("plaintext")) {
            return builder;
        }
        return builder.sslContext(GrpcSslContexts.forServer(Path.of(arguments.get(1)).toFile(),
                Path.of(arguments.get(2)).toFile()).build());
    }
}
