package io.ursa.e2e;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** The control plane's REST API, for what tests poll or change faster than a {@code ursactl} run allows. */
final class CpApi {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String baseUrl;

    CpApi(String baseUrl) {
        this.baseUrl = requireNonNull(baseUrl, "baseUrl");
    }

    /** {@code GET path}: the JSON answer, or empty on 404. */
    Optional<JsonNode> get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return Optional.of(JSON.readTree(response.body()));
    }

    /** {@code PUT path} with a JSON body; fails unless the answer is 200 or 201. */
    void put(String path, String json) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(5)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200 && response.statusCode() != 201) {
            throw new AssertionError("PUT " + path + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    /** {@code DELETE path}; fails unless the answer is 200. */
    void delete(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(5)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("DELETE " + path + " answered " + response.statusCode() + ": "
                    + response.body());
        }
    }

    /**
     * The status of one xDS type ({@code lds}, {@code cds}, ...) of the Dataplane's current subscription, from
     * {@code dataplanes+insights}: {@code responsesSent}, {@code responsesAcknowledged}, {@code responsesRejected},
     * {@code lastAckedVersion}, {@code lastRejection}. Missing when the Dataplane never connected.
     */
    JsonNode xdsStatus(String mesh, String dataplane, String type) throws IOException, InterruptedException {
        JsonNode overview = get("/meshes/" + mesh + "/dataplanes+insights/" + dataplane).orElseThrow(() ->
                new AssertionError("there is no Dataplane " + mesh + "/" + dataplane));
        JsonNode subscriptions = overview.path("dataplaneInsight").path("subscriptions");
        if (subscriptions.isEmpty()) {
            return JSON.missingNode();
        }
        return subscriptions.get(subscriptions.size() - 1).path("status").path(type);
    }
}
