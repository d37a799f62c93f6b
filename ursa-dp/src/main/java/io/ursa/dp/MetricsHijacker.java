package io.ursa.dp;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The metrics hijacker (envoy-config §5.3, kuma-dp's): the control plane routes the Prometheus listener of the
 * proxy to a unix socket whose path it derives from the proxy's name and mesh ({@link #socket}); this serves HTTP
 * there. Each scrape answers with Envoy's statistics in Prometheus text (the scrape's query, such as
 * {@code filter} and {@code usedonly}, passed on with {@code format=prometheus&text_readouts=}) followed by the
 * metrics of every application endpoint the bootstrap response lists ({@code kumaSidecarConfiguration.metrics
 * .aggregate}; their queries dropped), each part ending with a newline, as Kuma 2.0 does. Under transparent
 * proxying the applications are scraped from {@code 127.0.0.6} so that iptables does not redirect the connections.
 *
 * <p>Not done: Kuma also merges Envoy's per-split cluster metrics ({@code envoy_cluster_name="web-_0_"}) into the
 * cluster they split; here they stay apart. A part that cannot be fetched (or answers other than 200) is left out
 * and reported once until it works again, so one broken application endpoint never hides the proxy's metrics.
 *
 * <p>Threads: an acceptor thread; one handler thread per connection, at most {@value #MAX_CONNECTIONS} (Envoy keeps
 * a few keep-alive connections open); each scrape fetches its parts in parallel on a small pool. {@link #close}
 * may be called from any thread.
 */
final class MetricsHijacker implements AutoCloseable {
    /** The longest socket path before its {@code .sock} suffix (as the control plane cuts it). */
    static final int MAX_SOCKET_STEM = AccessLogForwarder.MAX_PIPE_STEM;
    static final int MAX_CONNECTIONS = 16;
    static final Duration SCRAPE_TIMEOUT = Duration.ofSeconds(10);
    /** The request headers of a scrape passed to every part, as kuma-dp does. */
    private static final List<String> PASSED_HEADERS = List.of("accept", "user-agent",
            "x-prometheus-scrape-timeout-seconds");
    private static final int MAX_REQUEST_HEAD = 16 * 1024;
    private static final InetAddress IPV4_PASSTHROUGH_SOURCE = address("127.0.0.6");
    private static final InetAddress IPV6_PASSTHROUGH_SOURCE = address("::6");

    /** One part of the answer: Envoy's admin, or an application endpoint. */
    record Target(String name, String address, int port, String path, boolean envoy) {
        Target {
            requireNonNull(name, "name");
            requireNonNull(address, "address");
            requireNonNull(path, "path");
        }

        static Target envoyAdmin(String address, int port) {
            return new Target("envoy", address, port, "/stats", true);
        }

        static Target application(String name, String address, int port, String path) {
            return new Target(name, address, port, path, false);
        }
    }

    private final Path socket;
    private final ServerSocketChannel server;
    private final List<Target> targets;
    private final boolean transparentProxy;
    private final Logger log;
    private final Thread acceptor;
    private final ExecutorService handlers = Executors.newCachedThreadPool(daemon("metrics-hijacker-connection"));
    private final ExecutorService fetchers = Executors.newFixedThreadPool(4, daemon("metrics-hijacker-scrape"));
    private final Semaphore connections = new Semaphore(MAX_CONNECTIONS);
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private MetricsHijacker(Path socket, ServerSocketChannel server, List<Target> targets, boolean transparentProxy,
                            Logger log) {
        this.socket = socket;
        this.server = server;
        this.targets = List.copyOf(targets);
        this.transparentProxy = transparentProxy;
        this.log = log;
        this.acceptor = new Thread(this::accept, "metrics-hijacker");
        this.acceptor.setDaemon(true);
    }

    /**
     * {@code <dir>/kuma-mh-<name>-<mesh>.sock}, the part before {@code .sock} cut to {@value #MAX_SOCKET_STEM}
     * characters: the path the control plane gives Envoy (ursa-xds {@code EnvoyNames.metricsHijackerSocket} spells
     * the same path for {@code /tmp}; change both).
     */
    static Path socket(Path dir, String name, String mesh) {
        String stem = requireNonNull(dir, "dir") + "/kuma-mh-" + requireNonNull(name, "name") + "-"
                + requireNonNull(mesh, "mesh");
        return Path.of(stem.substring(0, Math.min(stem.length(), MAX_SOCKET_STEM)) + ".sock");
    }

    /**
     * Serves on {@code socket}: a stale socket file is replaced, but one another agent still serves is not.
     *
     * @param envoy            Envoy's admin, always the first part
     * @param applications     the application endpoints, in the order their metrics follow
     * @param transparentProxy whether applications are scraped from the passthrough source addresses
     * @throws IOException when the socket cannot be bound (or is in use)
     */
    static MetricsHijacker start(Path socket, Target envoy, List<Target> applications, boolean transparentProxy,
                                 Logger log) throws IOException {
        requireNonNull(socket, "socket");
        requireNonNull(envoy, "envoy");
        requireNonNull(log, "log");
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(socket);
        if (Files.exists(socket)) {
            if (served(address)) {
                throw new IOException(socket + " is served by another process (another ursa-dp for the same"
                        + " proxy?)");
            }
            Files.delete(socket); // left behind by an agent that did not stop cleanly
        }
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(address);
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException | UnsupportedOperationException e) {
            server.close();
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
        List<Target> all = new ArrayList<>();
        all.add(envoy);
        all.addAll(applications);
        MetricsHijacker hijacker = new MetricsHijacker(socket, server, all, transparentProxy, log);
        hijacker.acceptor.start();
        log.info("serving the proxy's metrics on unix://" + socket + " (Envoy's" + (applications.isEmpty() ? ""
                : " and " + applications.size() + " application endpoint" + (applications.size() == 1 ? "" : "s"))
                + ")");
        return hijacker;
    }

    private static boolean served(UnixDomainSocketAddress address) {
        try (SocketChannel probe = SocketChannel.open(address)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void accept() {
        while (!closed) {
            SocketChannel connection;
            try {
                connection = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!closed) {
                    log.warning("metrics hijacker: cannot accept a connection: " + e.getMessage());
                }
                return;
            }
            if (!connections.tryAcquire()) {
                closeQuietly(connection); // Envoy opens more when it needs them; this bounds the threads
                continue;
            }
            try {
                handlers.execute(() -> {
                    try {
                        serve(connection);
                    } finally {
                        closeQuietly(connection);
                        connections.release();
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                closeQuietly(connection);
                connections.release();
            }
        }
    }

    /** Answers the requests of one keep-alive connection until it or this closes. */
    private void serve(SocketChannel connection) {
        try {
            InputStream in = Channels.newInputStream(connection);
            OutputStream out = Channels.newOutputStream(connection);
            while (!closed) {
                Optional<Request> request = Request.read(in);
                if (request.isEmpty()) {
                    return;
                }
                Request r = request.get();
                if (!r.method().equals("GET")) {
                    respond(out, 405, "text/plain", "method " + r.method() + " not allowed (expected: GET)\n", true);
                    return;
                }
                respond(out, 200, "text/plain; version=0.0.4; charset=utf-8", scrape(r), !r.keepAlive());
                if (!r.keepAlive()) {
                    return;
                }
            }
        } catch (IOException e) {
            if (!closed) {
                log.fine("metrics hijacker: connection ended: " + e.getMessage());
            }
        }
    }

    /** Every part, fetched in parallel, in order; the parts that fail are left out. */
    private String scrape(Request request) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : PASSED_HEADERS) {
            String value = request.headers().get(name);
            if (value != null) {
                headers.put(name, value);
            }
        }
        List<CompletableFuture<Optional<String>>> parts = new ArrayList<>();
        for (Target target : targets) {
            parts.add(CompletableFuture.supplyAsync(() -> fetch(target, request.query(), headers), fetchers));
        }
        StringBuilder body = new StringBuilder();
        for (CompletableFuture<Optional<String>> part : parts) {
            try {
                part.get(SCRAPE_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS).ifPresent(text -> {
                    body.append(text);
                    body.append('\n');
                });
            } catch (Exception e) {
                log.fine("metrics hijacker: a part was not fetched: " + e);
            }
        }
        return body.toString();
    }

    private Optional<String> fetch(Target target, String query, Map<String, String> headers) {
        String pathAndQuery = target.envoy()
                ? target.path() + "?" + (query.isEmpty() ? "" : query + "&") + "format=prometheus&text_readouts="
                : target.path();
        Optional<InetAddress> source = Optional.empty();
        if (transparentProxy && !target.envoy()) {
            source = Optional.of(target.address().contains(":") ? IPV6_PASSTHROUGH_SOURCE : IPV4_PASSTHROUGH_SOURCE);
        }
        String what = target.envoy() ? "Envoy's statistics" : "application metrics \"" + target.name() + "\"";
        String url = "http://" + target.address() + ":" + target.port() + pathAndQuery;
        try {
            PlainHttpGet.Response response = PlainHttpGet.get(target.address(), target.port(), pathAndQuery, headers,
                    source, SCRAPE_TIMEOUT);
            if (response.status() != 200) {
                failed(target, what + " at " + url + " answered " + response.status());
                return Optional.empty();
            }
            if (failing.remove(target.name())) {
                log.info("metrics hijacker: " + what + " at " + url + " can be scraped again");
            }
            return Optional.of(new String(response.body(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            failed(target, "cannot scrape " + what + " at " + url + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    private void failed(Target target, String message) {
        if (failing.add(target.name())) {
            log.warning("metrics hijacker: " + message + "; left out of the proxy's metrics until it works");
        }
    }

    private static void respond(OutputStream out, int status, String contentType, String body, boolean close)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String reason = status == 200 ? "OK" : status == 405 ? "Method Not Allowed" : "Bad Request";
        String head = "HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: " + contentType
                + "\r\nContent-Length: " + bytes.length + "\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes);
        out.flush();
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        handlers.shutdownNow();
        fetchers.shutdownNow();
        try {
            acceptor.join(TimeUnit.SECONDS.toMillis(5));
            Files.deleteIfExists(socket);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            log.fine("could not delete " + socket + ": " + e.getMessage());
        }
    }

    /** An HTTP/1.x request head (a body, which a scrape never has, is skipped by its Content-Length). */
    private record Request(String method, String query, Map<String, String> headers, boolean keepAlive) {
        /** The next request on the connection; empty when the peer closed it between requests. */
        static Optional<Request> read(InputStream in) throws IOException {
            String requestLine = line(in, true);
            if (requestLine == null) {
                return Optional.empty();
            }
            String[] parts = requestLine.split(" ");
            if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP/1.x request: \"" + requestLine + "\"");
            }
            Map<String, String> headers = new LinkedHashMap<>();
            int size = requestLine.length();
            for (String header = line(in, false); !header.isEmpty(); header = line(in, false)) {
                size += header.length();
                if (size > MAX_REQUEST_HEAD) {
                    throw new IOException("request head larger than " + MAX_REQUEST_HEAD + " bytes");
                }
                int colon = header.indexOf(':');
                if (colon > 0) {
                    headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            header.substring(colon + 1).trim());
                }
            }
            long length;
            try {
                length = Long.parseLong(headers.getOrDefault("content-length", "0"));
            } catch (NumberFormatException e) {
                throw new IOException("invalid Content-Length: " + headers.get("content-length"));
            }
            if (length > 0 && in.skip(length) < length) {
                throw new IOException("the request body ended early");
            }
            String target = parts[1];
            int question = target.indexOf('?');
            String query = question < 0 ? "" : target.substring(question + 1);
            String connection = headers.getOrDefault("connection", "").toLowerCase(Locale.ROOT);
            boolean keepAlive = parts[2].equals("HTTP/1.1") ? !connection.contains("close")
                    : connection.contains("keep-alive");
            return Optional.of(new Request(parts[0], query, headers, keepAlive));
        }

        /** A line without CRLF; {@code null} at the end of the stream when {@code first}, else a failure. */
        private static String line(InputStream in, boolean first) throws IOException {
            StringBuilder line = new StringBuilder();
            int c = in.read();
            if (c < 0) {
                if (first) {
                    return null;
                }
                throw new IOException("the request head ended early");
            }
            for (; c >= 0 && c != '\n'; c = in.read()) {
                if (line.length() > MAX_REQUEST_HEAD) {
                    throw new IOException("a request line longer than " + MAX_REQUEST_HEAD + " bytes");
                }
                line.append((char) c);
            }
            int end = line.length();
            if (end > 0 && line.charAt(end - 1) == '\r') {
                line.setLength(end - 1);
            }
            return line.toString();
        }
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}
