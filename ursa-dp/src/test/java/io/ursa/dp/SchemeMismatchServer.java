package io.ursa.dp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The DP server's answers to a client of the wrong scheme, as the design fixes them, on a loopback socket that counts
 * the connections it gets. {@link Mode#TLS_PORT}: a TLS port that gets plaintext answers an HTTP/1.1 request with a
 * 400 saying it requires TLS, and an HTTP/2 preface with a GOAWAY saying the same. {@link Mode#PLAINTEXT_PORT}: a
 * plaintext port that gets a TLS ClientHello answers {@code HTTP/1.1 400} and closes.
 *
 * <p>Threads: one acceptor thread serves the connections one after the other.
 */
final class SchemeMismatchServer implements AutoCloseable {
    enum Mode { TLS_PORT, PLAINTEXT_PORT }

    private static final byte[] HTTP2_PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Mode mode;
    private final ServerSocket socket;
    private final AtomicInteger connections = new AtomicInteger();
    private final Thread acceptor;

    private SchemeMismatchServer(Mode mode) throws IOException {
        this.mode = mode;
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::serve, "scheme-mismatch-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static SchemeMismatchServer start(Mode mode) throws IOException {
        return new SchemeMismatchServer(mode);
    }

    int port() {
        return socket.getLocalPort();
    }

    int connections() {
        return connections.get();
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket connection = socket.accept()) {
                connections.incrementAndGet();
                connection.setSoTimeout(10_000);
                answer(connection.getInputStream(), connection.getOutputStream());
                connection.shutdownOutput();
                connection.getInputStream().transferTo(OutputStream.nullOutputStream()); // until the client closes
            } catch (SocketException e) {
                // closed, or the client went away first
            } catch (IOException e) {
                // the next connection gets a fresh try
            }
        }
    }

    private void answer(InputStream in, OutputStream out) throws IOException {
        int first = in.read();
        if (mode == Mode.PLAINTEXT_PORT) {
            out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            return;
        }
        String refusal = "this is the control plane's DP server and it requires TLS: use https://127.0.0.1:" + port();
        if (first == HTTP2_PREFACE[0]) {
            in.readNBytes(HTTP2_PREFACE.length - 1);
            out.write(frame(0x4, new byte[0])); // SETTINGS
            byte[] text = refusal.getBytes(StandardCharsets.US_ASCII);
            ByteBuffer goAway = ByteBuffer.allocate(8 + text.length);
            goAway.putInt(0).putInt(0x1).put(text); // last stream 0, PROTOCOL_ERROR, debug data
            out.write(frame(0x7, goAway.array()));
            return;
        }
        String headers = readHeaders(first, in);
        int length = 0;
        for (String line : headers.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(line.indexOf(':') + 1).strip());
            }
        }
        in.readNBytes(length);
        byte[] body = refusal.getBytes(StandardCharsets.US_ASCII);
        out.write(("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
    }

    private static String readHeaders(int first, InputStream in) throws IOException {
        ByteArrayOutputStream headers = new ByteArrayOutputStream();
        headers.write(first);
        while (!headers.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int next = in.read();
            if (next < 0) {
                break;
            }
            headers.write(next);
        }
        return headers.toString(StandardCharsets.US_ASCII);
    }

    /** An HTTP/2 frame on stream 0. */
    private static byte[] frame(int type, byte[] payload) {
        return ByteBuffer.allocate(9 + payload.length)
                .put((byte) (payload.length >>> 16)).put((byte) (payload.length >>> 8)).put((byte) payload.length)
                .put((byte) type).put((byte) 0).putInt(0).put(payload).array();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        socket.close();
        acceptor.join();
    }
}
