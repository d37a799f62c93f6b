package io.ursa.dp;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One plain-HTTP {@code GET} on a fresh connection, optionally from a chosen source address (the metrics hijacker
 * scrapes applications from {@code 127.0.0.6} under transparent proxying, the address iptables does not redirect,
 * which {@code java.net.http.HttpClient} cannot bind on Java 17). The request says {@code Connection: close}; the
 * body is read by {@code Content-Length}, chunked transfer coding, or to the end of the stream, at most
 * {@value #MAX_BODY} bytes. Stateless.
 */
final class PlainHttpGet {
    /** The largest body read: a scrape this large is a mistake, not metrics. */
    static final int MAX_BODY = 32 * 1024 * 1024;
    private static final int MAX_HEAD = 64 * 1024;

    /** A response: its status code and body. */
    record Response(int status, byte[] body) {
    }

    private PlainHttpGet() {
    }

    /**
     * {@code GET http://host:port<pathAndQuery>} with {@code headers}, within {@code timeout} (connect and each
     * read).
     *
     * @throws IOException when the server cannot be reached or answers something that is not HTTP/1.x
     */
    static Response get(String host, int port, String pathAndQuery, Map<String, String> headers,
                        Optional<InetAddress> source, Duration timeout) throws IOException {
        requireNonNull(host, "host");
        requireNonNull(pathAndQuery, "pathAndQuery");
        int millis = (int) Math.max(1, timeout.toMillis());
        try (Socket socket = new Socket()) {
            if (source.isPresent()) {
                socket.bind(new InetSocketAddress(source.get(), 0));
            }
            socket.connect(new InetSocketAddress(host, port), millis);
            socket.setSoTimeout(millis);
            StringBuilder request = new StringBuilder("GET ").append(pathAndQuery).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(host.contains(":") ? "[" + host + "]" : host).append(':').append(port)
                    .append("\r\nConnection: close\r\n");
            headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
            request.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return read(socket.getInputStream());
        }
    }

    private static Response read(InputStream in) throws IOException {
        String statusLine = line(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x response: \"" + statusLine + "\"");
        }
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("not an HTTP status: \"" + statusLine + "\"");
        }
        long length = -1;
        boolean chunked = false;
        int headBytes = statusLine.length();
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            headBytes += header.length();
            if (headBytes > MAX_HEAD) {
                throw new IOException("response headers larger than " + MAX_HEAD + " bytes");
            }
            int colon = header.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            if (name.equals("content-length")) {
                try {
                    length = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new IOException("invalid Content-Length: " + value);
                }
            } else if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                chunked = true;
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (chunked) {
            for (long size = chunkSize(line(in)); size > 0; size = chunkSize(line(in))) {
                copy(in, body, size);
                line(in); // the CRLF after the chunk
            }
        } else if (length >= 0) {
            copy(in, body, length);
        } else {
            copy(in, body, -1);
        }
        return new Response(status, body.toByteArray());
    }

    private static long chunkSize(String line) throws IOException {
        String hex = line.contains(";") ? line.substring(0, line.indexOf(';')) : line;
        try {
            return Long.parseLong(hex.trim(), 16);
        } catch (NumberFormatException e) {
            throw new IOException("invalid chunk size: \"" + line + "\"");
        }
    }

    /** Copies {@code count} bytes ({@code -1}: to the end of the stream), failing beyond {@value #MAX_BODY}. */
    private static void copy(InputStream in, ByteArrayOutputStream out, long count) throws IOException {
        byte[] buffer = new byte[8192];
        long left = count;
        while (left != 0) {
            int wanted = left < 0 ? buffer.length : (int) Math.min(buffer.length, left);
            int read = in.read(buffer, 0, wanted);
            if (read < 0) {
                if (count < 0) {
                    return;
                }
                throw new IOException("the response ended " + left + " bytes early");
            }
            out.write(buffer, 0, read);
            if (out.size() > MAX_BODY) {
                throw new IOException("response body larger than " + MAX_BODY + " bytes");
            }
            if (left > 0) {
                left -= read;
            }
        }
    }

    /** One CRLF- (or LF-) terminated line, without its terminator; empty at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
            if (line.length() > MAX_HEAD) {
                throw new IOException("a header line longer than " + MAX_HEAD + " bytes");
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
