package io.ursa.dp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A real TCP access-log collector on loopback: it records every line it receives and counts connections. */
final class LogCollector implements AutoCloseable {
    private final ServerSocket server;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger closedByForwarder = new AtomicInteger();

    private LogCollector(ServerSocket server) {
        this.server = server;
        Thread acceptor = new Thread(this::accept, "log-collector-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A collector on a free loopback port. */
    static LogCollector start() throws IOException {
        return start(0);
    }

    /** A collector on {@code port} of loopback. */
    static LogCollector start(int port) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return new LogCollector(server);
    }

    /** {@code 127.0.0.1:<port>}, as a TCP logging backend's address. */
    String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    int connections() {
        return connections.get();
    }

    /** How many connections the other side closed (end of stream while the collector still held them). */
    int closedByForwarder() {
        return closedByForwarder.get();
    }

    /** Closes the connections accepted so far, as a restarting collector would; it keeps accepting new ones. */
    void dropConnections() throws IOException {
        for (Socket socket : open) {
            socket.close();
            open.remove(socket);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        dropConnections();
    }

    private void accept() {
        try {
            while (true) {
                Socket socket = server.accept();
                connections.incrementAndGet();
                open.add(socket);
                Thread reader = new Thread(() -> read(socket), "log-collector-connection");
                reader.setDaemon(true);
                reader.start();
            }
        } catch (IOException e) {
            // closed
        }
    }

    private void read(Socket socket) {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.add(line);
            }
            closedByForwarder.incrementAndGet();
        } catch (IOException e) {
            // the connection was dropped
        }
    }
}
