package io.ursa.ctl;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.MalformedURLException;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URL;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

/**
 * HTTP client of one control plane's REST API (spec §8), with the TLS and authentication settings of its stored
 * coordinates: the server's certificate is checked as {@link ServerTrust} says, and a configured user token goes
 * with every request as {@code Authorization: Bearer}. Every transport failure becomes a {@link CtlException} that
 * names the address (and, for TLS and scheme mistakes, what to change), so users never see a stack trace for a
 * stopped control plane. A 401 is an {@link UnauthorizedException}; a 403 to a request sent without a token
 * carries a hint on how to store one. Neither the token nor a request body ever appears in a message or a debug
 * line.
 *
 * <p>The transport is the JDK's {@link HttpURLConnection}: it starts in a few milliseconds, where
 * {@code java.net.http.HttpClient} costs a few hundred (a selector thread, and the default TLS context with the
 * whole system trust store even for {@code http://}), which a command-line client pays on every call. A TLS
 * context is built only for an {@code https://} address. One command's thread uses a client, and the handshake
 * runs on it too; {@link ServerTrust.Observation} is read after a request fails.
 */
final class ControlPlaneClient {
    private static final String HINT = "\nHint: is the control plane running? To use another one, run:"
            + " ursactl config control-planes add --name NAME --address URL";

    private final String name;
    private final URI uri;
    private final String address;
    private final CtlConfig.ApiServer settings;
    private final Map<String, String> headers;
    private final Duration timeout;
    private final Consumer<String> debug;
    private final ServerTrust trust;
    private final ServerTrust.Observation observation = new ServerTrust.Observation();
    private final boolean https;
    private SSLSocketFactory tlsSockets;

    /**
     * @param name the control plane's name in the configuration, for messages
     * @param timeout {@link Duration#ZERO} for no timeout
     * @param debug receives one line per request (for {@code --log-level debug})
     */
    ControlPlaneClient(String name, URI address, CtlConfig.ApiServer settings, Duration timeout,
                       Consumer<String> debug) {
        this.name = requireNonNull(name, "name");
        this.uri = requireNonNull(address, "address");
        String text = address.toString();
        this.address = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        this.settings = requireNonNull(settings, "settings");
        this.headers = settings.headerMap();
        this.timeout = requireNonNull(timeout, "timeout");
        this.debug = requireNonNull(debug, "debug");
        this.trust = ServerTrust.of(settings);
        this.https = address.getScheme().equalsIgnoreCase("https");
    }

    /** The API server URL, as configured. */
    String address() {
        return address;
    }

    ApiResponse get(String path) {
        return send("GET", path, null);
    }

    ApiResponse put(String path, String json) {
        return send("PUT", path, json);
    }

    ApiResponse post(String path, String json) {
        return send("POST", path, json);
    }

    ApiResponse delete(String path) {
        return send("DELETE", path, null);
    }

    /**
     * A connection for one request: HTTP/1.1 like kumactl, no proxy (as before: the JDK's client used none
     * either), and with a token no redirects are followed, since the JDK would carry the Authorization header to
     * wherever they point. The host name is checked by the TLS layer itself ({@link ServerTrust}).
     */
    private HttpURLConnection open(String method, String path) throws IOException {
        URL url;
        try {
            url = URI.create(address + path).toURL();
        } catch (IllegalArgumentException | MalformedURLException e) {
            throw new CtlException("invalid control plane address: " + address + path + " (" + e.getMessage() + ")");
        }
        HttpURLConnection connection = (HttpURLConnection) url.openConnection(Proxy.NO_PROXY);
        if (https) {
            ((HttpsURLConnection) connection).setSSLSocketFactory(tlsSockets());
        }
        connection.setRequestMethod(method);
        connection.setInstanceFollowRedirects(settings.token().isEmpty());
        connection.setUseCaches(false);
        int millis = timeout.isZero() ? 0 : (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        connection.setConnectTimeout(millis);
        connection.setReadTimeout(millis);
        connection.setRequestProperty("Accept", "application/json");
        headers.forEach(connection::setRequestProperty);
        settings.token().ifPresent(token -> connection.setRequestProperty("Authorization", "Bearer " + token));
        return connection;
    }

    private SSLSocketFactory tlsSockets() {
        if (tlsSockets == null) {
            tlsSockets = trust.sslContext(observation).getSocketFactory();
        }
        return tlsSockets;
    }

    private ApiResponse send(String method, String path, String json) {
        String url = address + path;
        long start = System.nanoTime();
        observation.clear();
        Answer response;
        try {
            response = exchange(open(method, path), json);
        } catch (SocketTimeoutException e) {
            if (String.valueOf(e.getMessage()).startsWith("connect")) {
                throw new CtlException("could not reach the control plane at " + address + ": no connection within "
                        + Durations.format(timeout) + HINT, e);
            }
            throw new CtlException("the control plane at " + address + " did not answer " + method + " " + path
                    + " within " + Durations.format(timeout) + " (raise the limit with --api-timeout)", e);
        } catch (IOException e) {
            Optional<String> explained = TransportFailures.explain(uri, trust, observation.refusal(), e, timeout);
            if (explained.isPresent()) {
                throw new CtlException(explained.get(), e);
            }
            throw new CtlException("could not reach the control plane at " + address + ": " + reason(e) + HINT, e);
        }
        debug.accept(method + " " + url + " -> " + response.status() + " ("
                + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms)");
        ApiResponse answer = new ApiResponse(method, url, response.status(), response.body())
                .withWarnings(response.warnings());
        if (answer.status() == ApiResponse.UNAUTHORIZED) {
            throw unauthorized(answer.reason());
        }
        if (answer.status() / 100 == 3 && settings.token().isPresent()) {
            throw new CtlException("the control plane at " + address + " answered " + method + " " + path + " with a"
                    + " redirect (" + answer.status() + ") to " + response.location()
                    + ", which ursactl does not follow with a token (it would send the token there); if that is the"
                    + " control plane's address, add it under that address");
        }
        if (answer.status() == ApiResponse.FORBIDDEN && settings.token().isEmpty()) {
            return answer.withHint("ursactl sent no user token to control plane " + Texts.quote(name)
                    + ", so it acted as an anonymous user; store a token with "
                    + AddControlPlaneCommand.commandLine(name, settings.url(), settings, "TOKEN"));
        }
        return answer;
    }

    /** Status, body, {@code Warning} header values in the order sent, and {@code Location} ("?" if none). */
    private record Answer(int status, String body, List<String> warnings, String location) {
    }

    private static Answer exchange(HttpURLConnection connection, String json) throws IOException {
        try {
            if (json != null) {
                byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
                connection.setDoOutput(true);
                connection.setRequestProperty("Content-Type", "application/json");
                // Not in streaming mode: with it, a 401 would be an HttpRetryException instead of an answer.
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(bytes);
                }
            }
            int status = connection.getResponseCode();
            String body;
            try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
                body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            // getHeaderFields() lists repeated headers in reverse order; walk them in the order they came.
            List<String> warnings = new ArrayList<>();
            String location = "?";
            for (int i = 1; connection.getHeaderField(i) != null; i++) {
                String key = connection.getHeaderFieldKey(i);
                if ("Warning".equalsIgnoreCase(key)) {
                    warnings.add(connection.getHeaderField(i));
                } else if ("Location".equalsIgnoreCase(key)) {
                    location = connection.getHeaderField(i);
                }
            }
            return new Answer(status, body, warnings, location);
        } catch (IOException e) {
            connection.disconnect();
            throw e;
        }
    }

    private UnauthorizedException unauthorized(String reason) {
        if (settings.token().isPresent()) {
            return new UnauthorizedException("the token for control plane " + Texts.quote(name) + " was refused: "
                    + reason + "; generate a new one with ursactl generate user-token and store it with "
                    + AddControlPlaneCommand.commandLine(name, settings.url(), settings, "NEW_TOKEN"), reason);
        }
        return new UnauthorizedException("control plane " + Texts.quote(name) + " asks for a user token: " + reason
                + "; store one with " + AddControlPlaneCommand.commandLine(name, settings.url(), settings, "TOKEN"),
                reason);
    }

    /** A short reason from the exception chain: {@code connection refused}, {@code unknown host ...}. */
    private String reason(IOException e) {
        Throwable cause = e.getCause();
        if (e instanceof UnknownHostException || cause instanceof UnresolvedAddressException) {
            return "unknown host " + URI.create(address).getHost();
        }
        String message = e.getMessage() != null ? e.getMessage()
                : cause != null && cause.getMessage() != null ? cause.getMessage() : "";
        if (e instanceof ConnectException && (message.isEmpty() || message.toLowerCase().contains("refused"))) {
            return "connection refused";
        }
        return message.isEmpty() ? e.getClass().getSimpleName() : message;
    }
}
