package io.ursa.apiserver;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 over a plain socket, for what {@code java.net.http} will not send (a {@code Host} of our choosing) or
 * what a slow client does (headers or a body that never finish). Every socket read has a generous timeout, so a
 * server that never answers fails the test instead of hanging it; no test relies on that time.
 */
final class RawHttp implements AutoCloseable {
    static final int READ_TIMEOUT_MILLIS = 60_000;

    private final Socket socket;

    private RawHttp(Socket socket) {
        this.socket = socket;
    }

    static RawHttp connect(int port) {
        try {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            return new RawHttp(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends one complete request with {@code Connection: close} and returns the whole response as text. */
    static String exchange(int port, String request) {
        try (RawHttp http = connect(port)) {
            http.send(request);
            return http.readToEnd();
        }
    }

    void send(String text) {
        try {
            socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Everything the server sends until it closes the connection. */
    String readToEnd() {
        try {
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
            }
            return out.toString(StandardCharsets.ISO_8859_1);
        } catch (java.net.SocketException e) {
            return "";  // reset by the server: closed as well
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
