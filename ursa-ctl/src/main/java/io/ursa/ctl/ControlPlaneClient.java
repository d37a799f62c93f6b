package io.ursa.ctl;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * HTTP client of one control plane's REST API (spec §8), with the TLS and authentication settings of its stored
 * coordinates: the server's certificate is checked as {@link ServerTrust} says, and a configured user token goes
 * with every request as {@code Authorization: Bearer}. Every transport failure becomes a {@link CtlException} that
 * names the address (and, for TLS and scheme mistakes, what to change), so users never see a stack trace for a
 * stopped control plane. A 401 is an {@link UnauthorizedException}; a 403 to a request sent without a token
 * carries a hint on how to store one. Neither the token nor a request body ever appears in a message or a debug
 * line.
 *
 * <p>One command's thread uses a client; the HTTP client's own threads run the TLS handshake and report to
 * {@link ServerTrust.Observation}, which {@link #send} reads after the request returns or fails.
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
    private final HttpClient http;

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
        // HTTP/1.1 like kumactl: no h2c upgrade attempt on plain-text connections. With a token, redirects are not
        // followed: the JDK's client would carry the Authorization header to wherever they point.
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(settings.token().isPresent() ? HttpClient.Redirect.NEVER : HttpClient.Redirect.NORMAL);
        if (address.getScheme().equalsIgnoreCase("https")) {
            builder.sslContext(trust.sslContext(observation));
        }
        if (!timeout.isZero()) {
            builder.connectTimeout(timeout);
        }
        this.http = builder.build();
    }

    /** The API server URL, as configured. */
    String address() {
        return address;
    }

    ApiResponse get(String path) {
        return send(request(path).GET(), "GET", path);
    }

    ApiResponse put(String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)), "PUT", path);
    }

    ApiResponse post(String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)), "POST", path);
    }

    ApiResponse delete(String path) {
        return send(request(path).DELETE(), "DELETE", path);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder;
        try {
            builder = HttpRequest.newBuilder(URI.create(address + path));
        } catch (IllegalArgumentException e) {
            throw new CtlException("invalid control plane address: " + address + path + " (" + e.getMessage() + ")");
        }
        builder.header("Accept", "application/json");
        headers.forEach(builder::header);
        settings.token().ifPresent(token -> builder.setHeader("Authorization", "Bearer " + token));
        if (!timeout.isZero()) {
            builder.timeout(timeout);
        }
        return builder;
    }

    private ApiResponse send(HttpRequest.Builder builder, String method, String path) {
        String url = address + path;
        long start = System.nanoTime();
        observation.clear();
        HttpResponse<String> response;
        try {
            response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException e) {
            throw new CtlException("could not reach the control plane at " + address + ": no connection within "
                    + Durations.format(timeout) + HINT, e);
        } catch (HttpTimeoutException e) {
            throw new CtlException("the control plane at " + address + " did not answer " + method + " " + path
                    + " within " + Durations.format(timeout) + " (raise the limit with --api-timeout)", e);
        } catch (IOException e) {
            Optional<String> explained = TransportFailures.explain(uri, trust, observation.refusal(), e, timeout);
            if (explained.isPresent()) {
                throw new CtlException(explained.get(), e);
            }
            throw new CtlException("could not reach the control plane at " + address + ": " + reason(e) + HINT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CtlException("interrupted while waiting for the control plane at " + address, e);
        }
        debug.accept(method + " " + url + " -> " + response.statusCode() + " ("
                + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms)");
        ApiResponse answer = new ApiResponse(method, url, response.statusCode(), response.body())
                .withWarnings(response.headers().allValues("Warning"));
        if (answer.status() == ApiResponse.UNAUTHORIZED) {
            throw unauthorized(answer.reason());
        }
        if (answer.status() / 100 == 3 && settings.token().isPresent()) {
            throw new CtlException("the control plane at " + address + " answered " + method + " " + path + " with a"
                    + " redirect (" + answer.status() + ") to " + response.headers().firstValue("Location").orElse("?")
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
        if (cause instanceof UnresolvedAddressException) {
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
