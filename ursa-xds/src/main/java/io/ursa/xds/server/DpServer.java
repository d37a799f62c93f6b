package io.ursa.xds.server;

import static java.util.Objects.requireNonNull;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.InternalNettyServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DP server (Kuma's, port 5678): gRPC services (ADS) and an HTTP/1.1 endpoint ({@code POST /bootstrap}) on
 * one port, told apart per connection by {@link HttpOrGrpcNegotiator}. Plaintext; TLS for the DP server belongs
 * to the mTLS work.
 */
public final class DpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DpServer.class);
    /** The largest bootstrap request accepted (a Dataplane definition fits easily). */
    static final int MAX_HTTP_BODY_BYTES = 1 << 20;
    /** Envoy and grpc-java send the whole snapshot of a type in one message; 1,000 services fit in far less. */
    private static final int MAX_INBOUND_MESSAGE_BYTES = 16 << 20;

    private final Server server;
    private final ExecutorService httpWorkers;

    private DpServer(Server server, ExecutorService httpWorkers) {
        this.server = server;
        this.httpWorkers = httpWorkers;
    }

    /**
     * Starts the server.
     *
     * @param iface        the interface to bind, e.g. {@code 0.0.0.0}
     * @param port         the port; 0 picks a free one
     * @param services     the gRPC services (ADS)
     * @param interceptors interceptors of every gRPC call (e.g. the one that reads the {@code authorization} header)
     * @param http         the HTTP/1.1 endpoint
     * @throws IOException when the port cannot be bound
     */
    public static DpServer start(String iface, int port, List<BindableService> services,
                                 List<ServerInterceptor> interceptors, HttpEndpoint http) throws IOException {
        requireNonNull(iface, "iface");
        requireNonNull(services, "services");
        requireNonNull(interceptors, "interceptors");
        requireNonNull(http, "http");
        AtomicInteger threads = new AtomicInteger();
        ExecutorService httpWorkers = Executors.newFixedThreadPool(2, r -> {
            Thread thread = new Thread(r, "dp-server-http-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        HttpOrGrpcNegotiator negotiator = new HttpOrGrpcNegotiator(
                () -> new Http1Handler(http, httpWorkers), MAX_HTTP_BODY_BYTES);
        NettyServerBuilder builder = NettyServerBuilder
                .forAddress(new InetSocketAddress(iface, port), InternalNettyServerCredentials.create(negotiator))
                .maxInboundMessageSize(MAX_INBOUND_MESSAGE_BYTES)
                .permitKeepAliveTime(10, TimeUnit.SECONDS)
                .permitKeepAliveWithoutCalls(true);
        for (BindableService service : services) {
            builder.addService(ServerInterceptors.intercept(service, interceptors));
        }
        Server server = builder.build();
        try {
            server.start();
        } catch (IOException e) {
            httpWorkers.shutdownNow();
            throw new IOException("cannot start the DP server on " + iface + ":" + port + ": " + e.getMessage()
                    + " (is another control plane running? set URSA_DP_SERVER_PORT to use another port)", e);
        }
        log.info("DP server (gRPC ADS and POST /bootstrap) listening on {}:{}", iface, server.getPort());
        return new DpServer(server, httpWorkers);
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
        }
    }
}
