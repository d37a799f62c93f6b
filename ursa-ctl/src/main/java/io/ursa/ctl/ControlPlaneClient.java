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
import java.util.function.Consumer;

/**
 * HTTP client of one control plane's REST API (spec §8). Every transport failure becomes a {@link CtlException}
 * that names the address, so users never see a stack trace for a stopped control plane.
 */
final class ControlPlaneClient {
    private static final String HINT = "\nHint: is the control plane running? To use another one, run:"
            + " ursactl config control-planes add --name NAME --address URL";

    private final String address;
    private final Map<String, String> headers;
    private final Duration timeout;
    private final Consumer<String> debug;
    private final HttpClient http;

    /**
     * @param timeout {@link Duration#ZERO} for no timeout
     * @param debug receives one line per request (for {@code --log-level debug})
     */
    ControlPlaneClient(URI address, Map<String, String> headers, Duration timeout, Consumer<String> debug) {
        String text = requireNonNull(address, "address").toString();
        this.address = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        this.headers = Map.copyOf(requireNonNull(headers, "headers"));
        this.timeout = requireNonNull(timeout, "timeout");
        this.debug = requireNonNull(debug, "debug");
        // HTTP/1.1 like kumactl: no h2c upgrade attempt on plain-text connections.
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NORMAL);
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
        if (!timeout.isZero()) {
            builder.timeout(timeout);
        }
        return builder;
    }

    private ApiResponse send(HttpRequest.Builder builder, String method, String path) {
        String url = address + path;
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(builder.build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            debug.accept(method + " " + url + " -> " + response.statusCode() + " ("
                    + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms)");
            return new ApiResponse(method, url, response.statusCode(), response.body());
        } catch (HttpConnectTimeoutException e) {
            throw new CtlException("could not reach the control plane at " + address + ": no connection within "
                    + Durations.format(timeout) + HINT, e);
        } catch (HttpTimeoutException e) {
            throw new CtlException("the control plane at " + address + " did not answer " + method + " " + path
                    + " within " + Durations.format(timeout) + " (raise the limit with --api-timeout)", e);
        } catch (IOException e) {
            throw new CtlException("could not reach the control plane at " + address + ": " + reason(e) + HINT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CtlException("interrupted while waiting for the control plane at " + address, e);
        }
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
