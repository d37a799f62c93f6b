package io.ursa.dp;

import static java.util.Objects.requireNonNull;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/**
 * The DNS server of transparent proxying, in place of kuma-dp's CoreDNS on {@code --dns-coredns-port} (15053, spec
 * §10.1): iptables sends the applications' DNS queries here. It answers the names of the mesh from its
 * {@link DnsTable} ({@code backend.mesh → 240.0.0.3}, {@link DnsAnswers}) and forwards every other query to the
 * system's DNS servers ({@link DnsForwarder}), returning their answer. Kuma gets the same result in two hops (CoreDNS
 * asks Envoy's DNS filter first, then /etc/resolv.conf); here the table is read from the same {@code kuma:dns}
 * listener by {@link DnsTableAgent} and answered in one. UDP and TCP, on the same addresses.
 *
 * <p>The table is replaced as a whole with {@link #update}; until the first one arrives, and when the control plane
 * is away, the server answers from the last table it had (empty at first: everything is forwarded).
 *
 * <p>Threads: per address, one thread receives UDP queries and answers those of the table, and one accepts TCP
 * connections, served by a small pool shared by all; forwarded answers are sent from dnsjava's threads (sending on a
 * {@link DatagramSocket} is thread-safe). {@code table} is volatile. {@link #close()} may be called from any thread.
 */
public final class DnsServer implements AutoCloseable {
    private static final int MAX_UDP_QUERY = 4096;
    private static final int TCP_THREADS = 4;
    private static final Duration TCP_IDLE = Duration.ofSeconds(10);

    private final List<Socket> sockets;
    private final DnsForwarder forwarder;
    private final Logger log;
    private final ExecutorService tcpConnections;
    private volatile DnsTable table = DnsTable.EMPTY;
    private volatile boolean closed;

    /** How many free UDP ports are tried for one whose TCP port is free too. */
    private static final int FREE_PORT_ATTEMPTS = 20;

    /** One address the server listens on, over UDP and TCP. */
    private record Socket(DatagramSocket udp, ServerSocket tcp) {
        /**
         * UDP and TCP on {@code address}. With port 0 the UDP socket picks a free port, which TCP may have taken
         * already; then another port is tried, at most {@value #FREE_PORT_ATTEMPTS} times.
         */
        static Socket bind(InetSocketAddress address) throws IOException {
            for (int attempt = 1; ; attempt++) {
                DatagramSocket udp = new DatagramSocket(address);
                try {
                    ServerSocket tcp = new ServerSocket();
                    tcp.setReuseAddress(true);
                    tcp.bind(new InetSocketAddress(address.getAddress(), udp.getLocalPort()));
                    return new Socket(udp, tcp);
                } catch (java.net.BindException e) {
                    udp.close();
                    if (address.getPort() != 0 || attempt == FREE_PORT_ATTEMPTS) {
                        throw e;
                    }
                } catch (IOException e) {
                    udp.close();
                    throw e;
                }
            }
        }

        InetSocketAddress address() {
            return new InetSocketAddress(udp.getLocalAddress(), udp.getLocalPort());
        }

        void close() {
            udp.close();
            try {
                tcp.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    private DnsServer(List<Socket> sockets, DnsForwarder forwarder, Logger log) {
        this.sockets = List.copyOf(sockets);
        this.forwarder = forwarder;
        this.log = log;
        this.tcpConnections = Executors.newFixedThreadPool(TCP_THREADS, daemon("ursa-dp-dns-tcp"));
    }

    /**
     * Listens on {@code address} (UDP and TCP; port 0 picks a free one) and forwards unknown names to
     * {@code upstreams}, leaving out {@code address} itself, so that a resolv.conf naming this server cannot make
     * it ask itself. A port that is taken is an {@link IOException}.
     */
    public static DnsServer start(InetSocketAddress address, List<InetSocketAddress> upstreams, Logger log)
            throws IOException {
        requireNonNull(address, "address");
        return start(List.of(Socket.bind(address)), upstreams, log);
    }

    /**
     * Listens on {@code port} of 127.0.0.1 and, when the host has IPv6, of ::1 too: iptables redirects IPv4 DNS
     * queries to the first and ip6tables IPv6 ones to the second (Kuma's CoreDNS listens on every address; the
     * loopback ones are enough and keep the server off the network). 127.0.0.1 must be free; ::1 is skipped when
     * the host has no IPv6 loopback.
     */
    public static DnsServer startOnLoopback(int port, List<InetSocketAddress> upstreams, Logger log)
            throws IOException {
        requireNonNull(log, "log");
        List<Socket> sockets = new ArrayList<>();
        sockets.add(Socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port)));
        try {
            sockets.add(Socket.bind(new InetSocketAddress(InetAddress.getByName("::1"),
                    sockets.get(0).address().getPort())));
        } catch (IOException e) {
            log.fine("the DNS server does not listen on [::1]: " + e.getMessage());
        }
        return start(sockets, upstreams, log);
    }

    private static DnsServer start(List<Socket> sockets, List<InetSocketAddress> upstreams, Logger log) {
        requireNonNull(upstreams, "upstreams");
        requireNonNull(log, "log");
        List<InetSocketAddress> bound = sockets.stream().map(Socket::address).toList();
        List<InetSocketAddress> others = upstreams.stream().filter(upstream -> !isOwn(upstream, bound)).toList();
        if (others.size() < upstreams.size()) {
            log.warning("not forwarding DNS queries to " + DnsForwarder.describe(bound) + ": that is this server");
        }
        if (others.isEmpty()) {
            log.warning("no upstream DNS server to forward to: names outside the mesh get SERVFAIL");
        }
        DnsServer server = new DnsServer(sockets, new DnsForwarder(others, log), log);
        for (Socket socket : sockets) {
            daemon("ursa-dp-dns-udp").newThread(() -> server.serveUdp(socket.udp())).start();
            daemon("ursa-dp-dns-accept").newThread(() -> server.acceptTcp(socket.tcp())).start();
        }
        log.info("DNS server listening on " + DnsForwarder.describe(bound) + " (UDP and TCP), forwarding other names"
                + " to " + (others.isEmpty() ? "nothing" : DnsForwarder.describe(others)));
        return server;
    }

    /** Whether {@code upstream} is this server: one of its addresses, or the wildcard address on its port. */
    private static boolean isOwn(InetSocketAddress upstream, List<InetSocketAddress> bound) {
        return bound.contains(upstream) || (upstream.getAddress().isAnyLocalAddress()
                && bound.stream().anyMatch(address -> address.getPort() == upstream.getPort()));
    }

    /** The first address the server listens on (UDP and TCP): 127.0.0.1 for {@link #startOnLoopback}. */
    public InetSocketAddress address() {
        return sockets.get(0).address();
    }

    /** Every address the server listens on. */
    public List<InetSocketAddress> addresses() {
        return sockets.stream().map(Socket::address).toList();
    }

    /** Answers from {@code table} from now on. */
    public void update(DnsTable table) {
        this.table = requireNonNull(table, "table");
    }

    /** The table answered from now. */
    public DnsTable table() {
        return table;
    }

    /** Stops listening; queries being forwarded are dropped. */
    @Override
    public void close() {
        closed = true;
        sockets.forEach(Socket::close);
        tcpConnections.shutdownNow();
    }

    private void serveUdp(DatagramSocket udp) {
        byte[] buffer = new byte[MAX_UDP_QUERY];
        while (!closed) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                udp.receive(packet);
            } catch (IOException e) {
                if (!closed) {
                    log.warning("the DNS server stopped receiving UDP queries: " + e.getMessage());
                }
                return;
            }
            Optional<Message> query = parse(Arrays.copyOf(packet.getData(), packet.getLength()),
                    packet.getSocketAddress());
            if (query.isEmpty()) {
                continue;
            }
            SocketAddress client = packet.getSocketAddress();
            int maxLength = DnsAnswers.maxUdpLength(query.get());
            answer(query.get()).thenAccept(answer -> sendUdp(udp, answer.toWire(maxLength), client));
        }
    }

    private void sendUdp(DatagramSocket udp, byte[] answer, SocketAddress client) {
        try {
            udp.send(new DatagramPacket(answer, answer.length, client));
        } catch (IOException e) {
            if (!closed) {
                log.fine("could not send a DNS answer to " + client + ": " + e.getMessage());
            }
        }
    }

    private void acceptTcp(ServerSocket tcp) {
        while (!closed) {
            try {
                java.net.Socket connection = tcp.accept();
                tcpConnections.execute(() -> serveTcp(connection));
            } catch (IOException e) {
                if (!closed) {
                    log.warning("the DNS server stopped accepting TCP connections: " + e.getMessage());
                }
                return;
            } catch (RejectedExecutionException e) {
                return; // closing
            }
        }
    }

    /** Length-prefixed queries (RFC 1035 §4.2.2), answered in order, until the client closes or stays idle. */
    private void serveTcp(java.net.Socket connection) {
        try (connection) {
            connection.setSoTimeout((int) TCP_IDLE.toMillis());
            DataInputStream in = new DataInputStream(connection.getInputStream());
            DataOutputStream out = new DataOutputStream(connection.getOutputStream());
            while (!closed) {
                byte[] bytes = new byte[in.readUnsignedShort()];
                in.readFully(bytes);
                Optional<Message> query = parse(bytes, connection.getRemoteSocketAddress());
                if (query.isEmpty()) {
                    return;
                }
                Message answer = answer(query.get()).toCompletableFuture()
                        .get(DnsForwarder.TRY_TIMEOUT.multipliedBy(8).toMillis(), TimeUnit.MILLISECONDS);
                byte[] wire = answer.toWire(Message.MAXLENGTH);
                out.writeShort(wire.length);
                out.write(wire);
                out.flush();
            }
        } catch (EOFException | SocketTimeoutException | SocketException e) {
            // the client is done, or idle, or the server is closing
        } catch (IOException | TimeoutException | ExecutionException e) {
            log.fine("DNS over TCP from " + connection.getRemoteSocketAddress() + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Optional<Message> parse(byte[] bytes, SocketAddress client) {
        try {
            return Optional.of(new Message(bytes));
        } catch (IOException e) {
            log.fine("ignoring a DNS message from " + client + " that cannot be read: " + e.getMessage());
            return Optional.empty();
        }
    }

    private CompletionStage<Message> answer(Message query) {
        if (query.getQuestion() == null) {
            return CompletableFuture.completedFuture(DnsAnswers.reply(query, Rcode.FORMERR));
        }
        Optional<Message> own = DnsAnswers.fromTable(query, table);
        return own.<CompletionStage<Message>>map(CompletableFuture::completedFuture)
                .orElseGet(() -> forwarder.forward(query));
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
