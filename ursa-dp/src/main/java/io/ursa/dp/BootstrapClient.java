package io.ursa.dp;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.ursa.api.codec.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
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
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Asks the control plane's DP server for the Envoy bootstrap ({@code POST <cp-address>/bootstrap}, spec §10.2)
 * and retries the way kuma-dp does: an unreachable server, a 404 with an empty body (the Dataplane is not known
 * yet) and 5xx are retried every {@link RetryPolicy#backoff()} for up to {@link RetryPolicy#maxDuration()}; any
 * other 4xx is final. Differences, for failures that no retry will fix, which end it at once with a hint: a 404 with
 * a body means the address is not a DP server at all (most likely the HTTP API on 5681); a server certificate that
 * the CA does not sign, or that names another host; and a scheme that does not match the server (an {@code https}
 * address of a plaintext server, or an {@code http} one of a TLS server, see {@link ControlPlaneAddress#refusal}).
 *
 * <p>With several control-plane instances ({@link ControlPlanes}) each round of attempts starts at {@code first}
 * (chosen at random by the caller, so that proxies spread over the instances) and goes through the others in order:
 * a failure worth another try (no connection, a timeout, 5xx, the Dataplane not known yet) moves on to the next
 * instance at once, and the back-off is waited only when a whole round failed. A final refusal from any instance
 * ends it at once: the instances share one store, so another one would refuse too.
 *
 * <p>Over TLS the request carries, as {@code caCert}, the CA that verifies the server (the one given, or the trust
 * anchor of the JVM's default trust store that validated the server's chain), so that Envoy's {@code ads_cluster}
 * verifies the control plane the same way. With the default trust store that anchor is only known after a handshake,
 * so each attempt starts with a TLS handshake of its own.
 */
final class BootstrapClient {
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_QUOTED_BODY = 300;
    private static final int HTTPS_PORT = 443;

    private final ControlPlanes controlPlanes;
    private final int first;
    private final Optional<SSLContext> tls;
    private final HttpClient http;
    private final RetryPolicy retry;
    private final Clock clock;
    private final Sleeper sleeper;
    private final StopSignal stop;
    private final Logger log;

    /** A client of one control plane. */
    BootstrapClient(ControlPlaneAddress cp, RetryPolicy retry, Clock clock, Sleeper sleeper, StopSignal stop,
                    Logger log) {
        this(ControlPlanes.of(cp), 0, retry, clock, sleeper, stop, log);
    }

    /**
     * A client of several control-plane instances that tries {@code first} (an index into them) first.
     */
    BootstrapClient(ControlPlanes controlPlanes, int first, RetryPolicy retry, Clock clock, Sleeper sleeper,
                    StopSignal stop, Logger log) {
        this.controlPlanes = requireNonNull(controlPlanes, "controlPlanes");
        if (first < 0 || first >= controlPlanes.size()) {
            throw new IllegalArgumentException("invalid first: " + first + " (expected: 0-"
                    + (controlPlanes.size() - 1) + ")");
        }
        this.first = first;
        this.tls = controlPlanes.tls().map(ControlPlaneTrust::sslContext);
        this.http = httpClient(tls);
        this.retry = requireNonNull(retry, "retry");
        this.clock = requireNonNull(clock, "clock");
        this.sleeper = requireNonNull(sleeper, "sleeper");
        this.stop = requireNonNull(stop, "stop");
        this.log = requireNonNull(log, "log");
    }

    /** An HTTP/1.1 client, over TLS with {@code tls} for an https address. */
    private static HttpClient httpClient(Optional<SSLContext> tls) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(REQUEST_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER);
        tls.ifPresent(builder::sslContext);
        return builder.build();
    }

    /**
     * The bootstrap, or empty when a stop was requested while waiting to retry. A final refusal, or retries
     * running out, is a {@link DpException} that names the address.
     */
    Optional<BootstrapResponse> fetch(BootstrapRequest request) throws InterruptedException {
        Instant deadline = clock.instant().plus(retry.maxDuration());
        int count = controlPlanes.size();
        for (int attempt = 1, round = 1; !stop.isRequested(); round++) {
            Retry retryable = null;
            for (int i = 0; i < count && !stop.isRequested(); i++, attempt++) {
                ControlPlaneAddress cp = controlPlanes.addresses().get((first + i) % count);
                URI endpoint = cp.url().resolve("/bootstrap");
                log.info("fetching the bootstrap configuration from the control plane at " + endpoint
                        + " (attempt " + attempt + ")");
                Attempt result = attempt(cp, endpoint, request);
                if (result instanceof Answered answered) {
                    BootstrapResponse response = BootstrapResponse.parse(answered.body());
                    if (count > 1) {
                        log.info("the control plane instance at " + cp.origin() + " answered");
                    }
                    return Optional.of(response);
                }
                retryable = (Retry) result;
                if (i + 1 < count) {
                    log.info(retryable.reason() + "; trying the next control plane instance");
                }
            }
            if (retryable == null) {
                break; // stopped
            }
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.isNegative() || left.isZero()) {
                throw new DpException(retryable.givingUp() + "; gave up after " + (attempt - 1) + " attempts in "
                        + Durations.format(retry.maxDuration()) + " (URSA_CONTROL_PLANE_RETRY_MAX_DURATION)");
            }
            Duration wait = left.compareTo(retry.backoff()) < 0 ? left : retry.backoff();
            log.info(retryable.reason() + (count > 1 ? " (and every other instance failed too)" : "")
                    + "; retrying in " + Durations.format(wait));
            if (!sleeper.sleep(wait, stop)) {
                break;
            }
        }
        return Optional.empty();
    }

    /**
     * One try: over TLS, a handshake first (which tells the CA that verifies the server, and fails within
     * {@link #REQUEST_TIMEOUT} where the JDK's HTTP client would wait on a silent server's handshake for ever); then
     * the request.
     */
    private Attempt attempt(ControlPlaneAddress cp, URI endpoint, BootstrapRequest request)
            throws InterruptedException {
        String caCert = "";
        if (cp.tls().isPresent()) {
            ControlPlaneTrust trust = cp.tls().get();
            try {
                handshake(cp, tls.orElseThrow());
            } catch (IOException e) {
                return unreachable(cp, e);
            }
            caCert = trust.verifiedCaPem().orElseThrow(() -> new DpException("the control plane at " + cp.url()
                    + " was verified, but not by a CA of " + trust.source() + " that the agent could find to send"
                    + " as caCert; " + ControlPlaneAddress.CA_HINT));
        }
        return send(cp, endpoint, request.withCaCert(caCert).toJson().toString());
    }

    /** A TLS handshake with the DP server and nothing else, verified as the HTTP client verifies it. */
    private static void handshake(ControlPlaneAddress cp, SSLContext context) throws IOException {
        Socket plain = new Socket();
        try {
            plain.connect(new InetSocketAddress(cp.host(), cp.port(HTTPS_PORT)), (int) REQUEST_TIMEOUT.toMillis());
            plain.setSoTimeout((int) REQUEST_TIMEOUT.toMillis());
        } catch (IOException e) {
            plain.close();
            throw e;
        }
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, cp.host(),
                cp.port(HTTPS_PORT), true)) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.startHandshake();
        }
    }

    /** A connection that failed: final when no retry can fix it, else worth another try. */
    private Attempt unreachable(ControlPlaneAddress cp, IOException e) {
        Optional<DpException> refusal = cp.refusal(e);
        if (refusal.isPresent()) {
            throw refusal.get();
        }
        String error = describe(cp.url(), e);
        return new Retry("could not connect to the control plane at " + cp.url() + " (" + error + ")",
                "could not reach the control plane at " + where() + " (last error: " + error + ")."
                        + " Check that --cp-address points at the control plane's DP server (port 5678 by"
                        + " default) and that the control plane is running");
    }

    private Attempt send(ControlPlaneAddress cp, URI endpoint, String body) throws InterruptedException {
        URI cpAddress = cp.url();
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
            return unreachable(cp, e);
        }
        int status = response.statusCode();
        String text = response.body() == null ? "" : response.body();
        if (status == 200) {
            return new Answered(text);
        }
        if (status == 404 && text.isEmpty()) {
            return new Retry("the control plane at " + cpAddress + " does not know this Dataplane yet",
                    "the control plane at " + where() + " does not know this Dataplane. On Universal, create the"
                            + " Dataplane on the control plane before starting ursa-dp, or pass its definition with"
                            + " --dataplane-file");
        }
        if (status == 404) {
            throw new DpException("there is no /bootstrap endpoint at " + cpAddress + " (it answered 404: "
                    + abbreviate(text) + "). Double check that --cp-address points at the control plane's DP"
                    + " server (port 5678 by default), not at its HTTP API (port 5681 by default)");
        }
        if (status == 400 && cp.tls().isEmpty() && ControlPlaneAddress.requiresTls(text)) {
            throw cp.speaksTls();
        }
        if (status / 100 == 4) {
            throw new DpException("the control plane at " + cpAddress + " rejected the bootstrap request (HTTP "
                    + status + "): " + serverMessage(text));
        }
        return new Retry("the control plane at " + cpAddress + " answered HTTP " + status + " ("
                + abbreviate(text) + ")",
                "the control plane at " + where() + " kept failing to give a bootstrap (last answer: HTTP "
                        + status + ", " + abbreviate(text) + ")");
    }

    /** The address, or the addresses of every instance, as the final message names them. */
    private String where() {
        return String.join(", ", controlPlanes.addresses().stream().map(cp -> cp.url().toString()).toList());
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
    private static String describe(URI cpAddress, IOException e) {
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
