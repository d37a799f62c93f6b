package io.ursa.dp;

import static java.util.Objects.requireNonNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Forwards the access logs of the Mesh's {@code tcp} logging backends (mesh-spec §7.3, kuma-dp's access-log
 * streamer). The control plane has Envoy write each such line, prefixed with {@code <host>:<port>;}, to a named
 * pipe whose path it derives from the proxy's name and mesh ({@link #pipe}); this creates the pipe before Envoy
 * starts, reads it line by line and sends each line, without the prefix, to its address over TCP.
 *
 * <p>A named pipe (FIFO), as in Kuma 2.0, rather than a unix-domain socket: Envoy's file access logger
 * {@code open(2)}s its path, and opening a socket fails ({@code ENXIO}). The pipe is held open for reading and
 * writing, so that it never reports end-of-file while Envoy (re)opens it, and a writer never waits for a reader.
 *
 * <p>Connections: one per address, opened by the first line for it. Before each write the connection is checked;
 * one the collector closed, or whose write fails, is opened again for the same line. A line whose address cannot
 * be reached is dropped (reported once until the address is reachable again) and the next line tries again, so one
 * dead collector never stalls the pipe. Lines without an address prefix are dropped.
 *
 * <p>Threads: one daemon thread reads the pipe and owns the connections; {@link #close} may be called from any
 * thread.
 */
final class AccessLogForwarder implements AutoCloseable {
    /** Where the control plane puts a proxy's pipe (its and the agent's temporary directory). */
    static final Path PIPE_DIR = Path.of("/tmp");
    /** The longest pipe path before its {@code .sock} suffix (as the control plane cuts it). */
    static final int MAX_PIPE_STEM = 98;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private final Path pipe;
    private final FileChannel channel;
    private final Logger log;
    private final Thread reader;
    private final Map<String, SocketChannel> connections = new HashMap<>(); // owned by the reader thread
    private final Set<String> unreachable = new HashSet<>(); // owned by the reader thread
    private volatile boolean closed;

    private AccessLogForwarder(Path pipe, FileChannel channel, Logger log) {
        this.pipe = pipe;
        this.channel = channel;
        this.log = log;
        this.reader = new Thread(this::forward, "access-log-forwarder");
        this.reader.setDaemon(true);
    }

    /**
     * {@code <dir>/kuma-al-<name>-<mesh>.sock}, the part before {@code .sock} cut to {@value #MAX_PIPE_STEM}
     * characters: the path the control plane gives Envoy (ursa-xds {@code EnvoyNames.accessLogPipe} spells the same
     * path for {@link #PIPE_DIR}; change both).
     */
    static Path pipe(Path dir, String name, String mesh) {
        String stem = requireNonNull(dir, "dir") + "/kuma-al-" + requireNonNull(name, "name") + "-"
                + requireNonNull(mesh, "mesh");
        return Path.of(stem.substring(0, Math.min(stem.length(), MAX_PIPE_STEM)) + ".sock");
    }

    /**
     * Replaces whatever is at {@code pipe} with a new named pipe (owner read and write only, like the rest of the
     * agent's files) and starts forwarding what is written to it.
     *
     * @throws IOException when the pipe cannot be created or opened
     */
    static AccessLogForwarder start(Path pipe, Logger log) throws IOException, InterruptedException {
        requireNonNull(pipe, "pipe");
        requireNonNull(log, "log");
        Files.deleteIfExists(pipe);
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", "-m", "600", pipe.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("could not run mkfifo to create " + pipe + ": " + e.getMessage(), e);
        }
        String output = new String(mkfifo.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (mkfifo.waitFor() != 0) {
            throw new IOException("could not create the named pipe " + pipe + ": " + output);
        }
        FileChannel channel = FileChannel.open(pipe, StandardOpenOption.READ, StandardOpenOption.WRITE);
        AccessLogForwarder forwarder = new AccessLogForwarder(pipe, channel, log);
        forwarder.reader.start();
        log.fine("forwarding the access logs of tcp logging backends written to " + pipe);
        return forwarder;
    }

    /** The pipe this forwarder reads. */
    Path pipe() {
        return pipe;
    }

    /** Stops reading, closes the connections and removes the pipe. */
    @Override
    public void close() {
        closed = true;
        try {
            channel.close();
            reader.join(STOP_TIMEOUT.toMillis());
            Files.deleteIfExists(pipe);
        } catch (IOException e) {
            log.warning("could not remove the access log pipe " + pipe + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void forward() {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                send(line);
            }
        } catch (ClosedChannelException e) {
            // closed by close()
        } catch (IOException e) {
            if (!closed) {
                log.severe("stopped forwarding access logs: could not read " + pipe + ": " + e.getMessage());
            }
        } finally {
            connections.values().forEach(AccessLogForwarder::closeQuietly);
            connections.clear();
        }
    }

    private void send(String line) {
        int separator = line.indexOf(';');
        Optional<InetSocketAddress> address = separator < 0 ? Optional.empty()
                : parseAddress(line.substring(0, separator));
        if (address.isEmpty()) {
            log.warning("dropped an access log line without a valid <host>:<port>; prefix");
            return;
        }
        String key = line.substring(0, separator);
        ByteBuffer message = StandardCharsets.UTF_8.encode(line.substring(separator + 1) + "\n");
        SocketChannel connection = connections.get(key);
        if (connection != null && !closedByPeer(connection) && write(connection, message)) {
            return;
        }
        closeQuietly(connections.remove(key));
        message.rewind();
        try {
            connection = connect(address.get());
        } catch (IOException e) {
            if (unreachable.add(key)) {
                log.warning("dropping access logs for " + key + " until it can be reached: " + describe(e));
            }
            return;
        }
        if (unreachable.remove(key)) {
            log.info("the access log collector " + key + " can be reached again");
        }
        connections.put(key, connection);
        if (!write(connection, message)) {
            closeQuietly(connections.remove(key));
            log.warning("dropped an access log line for " + key + ": the connection failed");
        }
    }

    /** Writes all of {@code message}; false when the connection failed. */
    private static boolean write(SocketChannel connection, ByteBuffer message) {
        try {
            while (message.hasRemaining()) {
                connection.write(message);
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Resolves the collector's host now (not when the line was read) and connects, blocking up to a timeout. */
    private static SocketChannel connect(InetSocketAddress unresolved) throws IOException {
        InetSocketAddress address = new InetSocketAddress(unresolved.getHostString(), unresolved.getPort());
        if (address.isUnresolved()) {
            throw new IOException("unknown host " + unresolved.getHostString());
        }
        SocketChannel connection = SocketChannel.open();
        try {
            connection.socket().connect(address, (int) CONNECT_TIMEOUT.toMillis());
            return connection;
        } catch (IOException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Whether the collector closed the connection (it is not expected to send anything; what it sends is dropped). */
    private static boolean closedByPeer(SocketChannel connection) {
        ByteBuffer discard = ByteBuffer.allocate(512);
        try {
            connection.configureBlocking(false);
            int read;
            do {
                discard.clear();
                read = connection.read(discard);
            } while (read > 0);
            connection.configureBlocking(true);
            return read < 0;
        } catch (IOException e) {
            return true;
        }
    }

    /** {@code host:port} or {@code [ipv6]:port}, unresolved; empty when malformed. */
    static Optional<InetSocketAddress> parseAddress(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            return Optional.empty();
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int port = Integer.parseInt(hostPort.substring(colon + 1));
            if (port < 1 || port > 65535 || host.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(InetSocketAddress.createUnresolved(host, port));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void closeQuietly(SocketChannel connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (IOException e) {
            // nothing left to do with it
        }
    }
}
