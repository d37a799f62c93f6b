package io.ursa.xds.server;

import static java.util.Objects.requireNonNull;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.InternalNettyServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DP server (Kuma's, port 5678): gRPC services (ADS) and an HTTP/1.1 endpoint ({@code POST /bootstrap}) on
 * one port, told apart per connection by {@link HttpOrGrpcNegotiator}; over TLS unless the settings ask for
 * plaintext. Every gRPC call passes {@link StreamsPerClient} first (when a limit is set), then the given
 * interceptors.
 */
public final class DpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DpServer.class);
    /** The largest bootstrap request accepted (a Dataplane definition fits easily). */
    static final int MAX_HTTP_BODY_BYTES = 1 << 20;
    /** Envoy and grpc-java send the whole snapshot of a type in one message; 1,000 services fit in far less. */
    private static final int MAX_INBOUND_MESSAGE_BYTES = 16 << 20;

    /**
     * How the DP server listens.
     *
     * @param iface               the interface to bind, e.g. {@code 0.0.0.0}
     * @param port                the port; 0 picks a free one
     * @param transport           TLS with a certificate, or plaintext
     * @param httpTimeouts        how long slow or silent clients are waited for
     * @param maxStreamsPerClient the most gRPC streams one client address may have open; 0 = no limit
     */
    public record Settings(String iface, int port, DpTransport transport, HttpTimeouts httpTimeouts,
                           int maxStreamsPerClient) {
        public Settings {
            requireNonNull(iface, "iface");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("invalid port: " + port + " (expected: 0-65535)");
            }
            requireNonNull(transport, "transport");
            requireNonNull(httpTimeouts, "httpTimeouts");
            if (maxStreamsPerClient < 0) {
                throw new IllegalArgumentException("invalid maxStreamsPerClient: " + maxStreamsPerClient
                        + " (expected: 0 for no limit, or a positive number)");
            }
        }
    }

    /**
     * Threads that run the gRPC calls' callbacks (a stream's requests: identification, registration, ACKs): 64, or 8
     * per core on larger machines. gRPC's default is a cached pool, which grows a thread per message waiting: a
     * thousand proxies connecting at once, each registering its Dataplane with a durable write, left 800 threads
     * behind, each with its own per-thread buffers (JSON parsing), about 15 KB of heap per connected proxy until
     * they idled out. A bounded pool queues the messages instead; it is large enough that many registrations
     * wait on the store together and share its group commit (with 8 threads, registering 1,000 proxies took
     * longer, and proxies that connected early were pushed again more often as the others registered).
     */
    static final int GRPC_THREADS = Math.max(64, 8 * Runtime.getRuntime().availableProcessors());

    private final Server server;
    private final ExecutorService httpWorkers;
    private final ExecutorService grpcWorkers;
    private final Optional<StreamsPerClient> streamsPerClient;

    private DpServer(Server server, ExecutorService httpWorkers, ExecutorService grpcWorkers,
                     Optional<StreamsPerClient> streamsPerClient) {
        this.server = server;
        this.httpWorkers = httpWorkers;
        this.grpcWorkers = grpcWorkers;
        this.streamsPerClient = streamsPerClient;
    }

    /**
     * Starts the server.
     *
     * @param settings     where and how it listens
     * @param services     the gRPC services (ADS)
     * @param interceptors interceptors of every gRPC call (e.g. the one that reads the {@code authorization} header)
     * @param http         the HTTP/1.1 endpoint
     * @throws IOException when the port cannot be bound
     */
    public static DpServer start(Settings settings, List<BindableService> services,
                                 List<ServerInterceptor> interceptors, HttpEndpoint http) throws IOException {
        requireNonNull(settings, "settings");
        requireNonNull(services, "services");
        requireNonNull(interceptors, "interceptors");
        requireNonNull(http, "http");
        AtomicInteger threads = new AtomicInteger();
        ExecutorService httpWorkers = Executors.newFixedThreadPool(2, r -> {
            Thread thread = new Thread(r, "dp-server-http-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        AtomicInteger grpcThreads = new AtomicInteger();
        ExecutorService grpcWorkers = Executors.newFixedThreadPool(GRPC_THREADS, r -> {
            Thread thread = new Thread(r, "dp-server-grpc-" + grpcThreads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        Optional<SslContext> tls = settings.transport() instanceof DpTransport.Tls t
                ? Optional.of(DpServerSslContext.of(t)) : Optional.empty();
        HttpOrGrpcNegotiator negotiator = new HttpOrGrpcNegotiator(
                () -> new Http1Handler(http, httpWorkers), MAX_HTTP_BODY_BYTES, tls, settings.httpTimeouts());
        Optional<StreamsPerClient> streamsPerClient = settings.maxStreamsPerClient() == 0 ? Optional.empty()
                : Optional.of(new StreamsPerClient(settings.maxStreamsPerClient()));
        // ServerInterceptors runs the last interceptor first: the stream cap before anything else.
        List<ServerInterceptor> all = new ArrayList<>(interceptors);
        streamsPerClient.ifPresent(all::add);
        NettyServerBuilder builder = NettyServerBuilder
                .forAddress(new InetSocketAddress(settings.iface(), settings.port()),
                        InternalNettyServerCredentials.create(negotiator))
                .maxInboundMessageSize(MAX_INBOUND_MESSAGE_BYTES)
                .permitKeepAliveTime(10, TimeUnit.SECONDS)
                .permitKeepAliveWithoutCalls(true)
                .executor(grpcWorkers);
        for (BindableService service : services) {
            builder.addService(ServerInterceptors.intercept(service, all));
        }
        Server server = builder.build();
        try {
            server.start();
        } catch (IOException e) {
            httpWorkers.shutdownNow();
            grpcWorkers.shutdownNow();
            throw new IOException("cannot start the DP server on " + settings.iface() + ":" + settings.port() + ": "
                    + e.getMessage() + " (is another control plane running? set URSA_DP_SERVER_PORT to use another"
                    + " port)", e);
        }
        if (settings.transport() instanceof DpTransport.Tls t) {
            List<String> versions = t.minVersion().protocols();
            log.info("DP server (gRPC ADS and POST /bootstrap) listening on {}:{} over TLS ({} or later; certificate"
                    + " for {}, CA fingerprint {})", settings.iface(), server.getPort(),
                    versions.get(versions.size() - 1), t.certificate().subjectAltNames(),
                    t.certificate().caFingerprint());
        } else {
            log.info("DP server (gRPC ADS and POST /bootstrap) listening on {}:{} in plaintext", settings.iface(),
                    server.getPort());
        }
        return new DpServer(server, httpWorkers, grpcWorkers, streamsPerClient);
    }

    private static void awaitQuietly(ExecutorService executor) {
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How many gRPC streams {@code client} has open; 0 when there is no limit (streams are then not counted). */
    int openStreams(InetAddress client) {
        return streamsPerClient.map(limit -> limit.openStreams(client)).orElse(0);
    }

    /** The bound port. */
    public int port() {
        return server.getPort();
    }

    /** Stops accepting streams, closes open ones, and waits up to 5 s for them to end. */
    @Override
    public void close() {
        server.shutdown();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow();
                server.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.shutdownNow();
        } finally {
            httpWorkers.shutdownNow();
            grpcWorkers.shutdownNow();
            awaitQuietly(grpcWorkers);
        }
    }
}
