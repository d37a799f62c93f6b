package io.ursa.dp;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.ursa.api.codec.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Asks the control plane's DP server for the Envoy bootstrap ({@code POST <cp-address>/bootstrap}, spec §10.2)
 * and retries the way kuma-dp does: an unreachable server, a 404 with an empty body (the Dataplane is not known
 * yet) and 5xx are retried every {@link RetryPolicy#backoff()} for up to {@link RetryPolicy#maxDuration()}; any
 * other 4xx is final. One difference: a 404 with a body means the address is not a DP server at all (most
 * likely the HTTP API on 5681), which no retry will fix, so it fails at once with a hint instead of retrying.
 */
final class BootstrapClient {
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_QUOTED_BODY = 300;

    private final URI cpAddress;
    private final HttpClient http;
    private final RetryPolicy retry;
    private final Clock clock;
    private final Sleeper sleeper;
    private final StopSignal stop;
    private final Logger log;

    BootstrapClient(URI cpAddress, HttpClient http, RetryPolicy retry, Clock clock, Sleeper sleeper, StopSignal stop,
                    Logger log) {
        this.cpAddress = requireNonNull(cpAddress, "cpAddress");
        this.http = requireNonNull(http, "http");
        this.retry = requireNonNull(retry, "retry");
        this.clock = requireNonNull(clock, "clock");
        this.sleeper = requireNonNull(sleeper, "sleeper");
        this.stop = requireNonNull(stop, "stop");
        this.log = requireNonNull(log, "log");
    }

    /** An HTTP client for {@code cpAddress}: HTTP/1.1, TLS per {@link TlsContexts} when the address is https. */
    static HttpClient httpClient(URI cpAddress, String caCert, Logger log) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(REQUEST_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER);
        if ("https".equalsIgnoreCase(cpAddress.getScheme())) {
            if (caCert.isEmpty()) {
                log.warning("the data plane proxy cannot verify the identity of the control plane because neither "
                        + "--ca-cert-file nor URSA_CONTROL_PLANE_CA_CERT is set");
                builder.sslContext(TlsContexts.trustingAnything());
            } else {
                builder.sslContext(TlsContexts.trusting(caCert, "the control plane CA certificate"));
            }
        }
        return builder.build();
    }

    /**
     * The bootstrap, or empty when a stop was requested while waiting to retry. A final refusal, or retries
     * running out, is a {@link DpException} that names the address.
     */
    Optional<BootstrapResponse> fetch(BootstrapRequest request) throws InterruptedException {
        String body = request.toJson().toString();
        URI endpoint = cpAddress.resolve("/bootstrap");
        Instant deadline = clock.instant().plus(retry.maxDuration());
        for (int attempt = 1; !stop.isRequested(); attempt++) {
            log.info("fetching the bootstrap configuration from the control plane at " + endpoint
                    + " (attempt " + attempt + ")");
            Attempt result = send(endpoint, body);
            if (result instanceof Answered answered) {
                return Optional.of(BootstrapResponse.parse(answered.body()));
            }
            Retry retryable = (Retry) result;
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.isNegative() || left.isZero()) {
                throw new DpException(retryable.givingUp() + "; gave up after " + attempt + " attempts in "
                        + Durations.format(retry.maxDuration()) + " (URSA_CONTROL_PLANE_RETRY_MAX_DURATION)");
            }
            Duration wait = left.compareTo(retry.backoff()) < 0 ? left : retry.backoff();
            log.info(retryable.reason() + "; retrying in " + Durations.format(wait));
            if (!sleeper.sleep(wait, stop)) {
                break;
            }
        }
        return Optional.empty();
    }

    private Attempt send(URI endpoint, String body) throws InterruptedException {
        HttpRequest httpRequest = HttpRequest.newBuilder(endpoint)
                .timeout(REQUEST_TIMEOUT)
                .header("accept", "application/json")
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(httpRequest, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            String error = describe(e);
            return new Retry("could not connect to the control plane at " + cpAddress + " (" + error + ")",
                    "could not reach the control plane at " + cpAddress + " (last error: " + error + ")."
                            + " Check that --cp-address points at the control plane's DP server (port 5678 by"
                            + " default) and that the control plane is running");
        }
        int status = response.statusCode();
        String text = response.body() == null ? "" : response.body();
        if (status == 200) {
            return new Answered(text);
        }
        if (status == 404 && text.isEmpty()) {
            return new Retry("the control plane does not know this Dataplane yet",
                    "the control plane at " + cpAddress + " does not know this Dataplane. On Universal, create the"
                            + " Dataplane on the control plane before starting ursa-dp, or pass its definition with"
                            + " --dataplane-file");
        }
        if (status == 404) {
            throw new DpException("there is no /bootstrap endpoint at " + cpAddress + " (it answered 404: "
                    + abbreviate(text) + "). Double check that --cp-address points at the control plane's DP"
                    + " server (port 5678 by default), not at its HTTP API (port 5681 by default)");
        }
        if (status / 100 == 4) {
            throw new DpException("the control plane at " + cpAddress + " rejected the bootstrap request (HTTP "
                    + status + "): " + serverMessage(text));
        }
        return new Retry("the control plane answered HTTP " + status + " (" + abbreviate(text) + ")",
                "the control plane at " + cpAddress + " kept failing to give a bootstrap (last answer: HTTP "
                        + status + ", " + abbreviate(text) + ")");
    }

    /**
     * The server's explanation: Kuma's DP server answers plain text ({@code mesh: mesh "x" does not exist}); a
     * Kuma error JSON ({@code title}, {@code details}, {@code causes}/{@code violations}) is flattened to text.
     */
    static String serverMessage(String body) {
        String text = body.strip();
        if (text.isEmpty()) {
            return "(no message)";
        }
        JsonNode node;
        try {
            node = Json.json().readTree(text);
        } catch (JsonProcessingException e) {
            return text;
        }
        if (node == null || !node.isObject()) {
            return text;
        }
        List<String> parts = new ArrayList<>();
        for (String key : List.of("title", "details")) {
            if (node.path(key).isTextual() && !node.path(key).asText().isEmpty()) {
                parts.add(node.path(key).asText());
            }
        }
        for (String key : List.of("causes", "violations")) {
            for (JsonNode cause : node.path(key)) {
                String field = cause.path("field").asText("");
                String message = cause.path("message").asText("");
                parts.add(field.isEmpty() ? message : field + ": " + message);
            }
        }
        return parts.isEmpty() ? text : String.join("; ", parts);
    }

    /** The root cause in words: {@code connection refused}, {@code unknown host "cp"}, or the exception's message. */
    private String describe(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpConnectTimeoutException) {
                return "no connection within " + Durations.format(REQUEST_TIMEOUT);
            }
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return "unknown host \"" + cpAddress.getHost() + "\"";
            }
            if (t instanceof ConnectException && (t.getMessage() == null || t.getMessage().isBlank())) {
                return "connection refused";
            }
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return e.getClass().getSimpleName();
    }

    private static String abbreviate(String text) {
        String oneLine = text.strip().replace('\n', ' ');
        return oneLine.length() > MAX_QUOTED_BODY ? oneLine.substring(0, MAX_QUOTED_BODY) + "..." : oneLine;
    }

    private sealed interface Attempt permits Answered, Retry {
    }

    private record Answered(String body) implements Attempt {
    }

    /** A failure worth another try: what to log now, and what to say if the retries run out. */
    private record Retry(String reason, String givingUp) implements Attempt {
    }
}
