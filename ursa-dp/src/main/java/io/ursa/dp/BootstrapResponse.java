package io.ursa.dp;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.ursa.api.codec.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * A 200 answer to {@code POST /bootstrap}: the Envoy bootstrap (YAML, sent base64-encoded) and the
 * {@code kumaSidecarConfiguration} for the agent itself.
 */
record BootstrapResponse(String bootstrapYaml, JsonNode sidecarConfiguration) {
    BootstrapResponse {
        requireNonNull(bootstrapYaml, "bootstrapYaml");
        requireNonNull(sidecarConfiguration, "sidecarConfiguration");
    }

    /** Decodes {@code {"bootstrap": "<base64 YAML>", "kumaSidecarConfiguration": {...}}}. */
    static BootstrapResponse parse(String body) {
        JsonNode node;
        try {
            node = Json.json().readTree(body);
        } catch (JsonProcessingException e) {
            throw invalid("the body is not JSON");
        }
        if (node == null || !node.isObject()) {
            throw invalid("the body is not a JSON object");
        }
        JsonNode bootstrap = node.path("bootstrap");
        if (!bootstrap.isTextual() || bootstrap.asText().isEmpty()) {
            throw invalid("\"bootstrap\" is missing or empty");
        }
        String yaml;
        try {
            yaml = new String(Base64.getDecoder().decode(bootstrap.asText()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid("\"bootstrap\" is not base64");
        }
        try {
            JsonNode parsed = Json.yaml().readTree(yaml);
            if (parsed == null || !parsed.isObject()) {
                throw invalid("\"bootstrap\" does not hold a YAML object");
            }
        } catch (JsonProcessingException e) {
            throw invalid("\"bootstrap\" does not hold valid YAML");
        }
        JsonNode sidecar = node.path("kumaSidecarConfiguration");
        return new BootstrapResponse(yaml, sidecar.isObject() ? sidecar : Json.json().createObjectNode());
    }

    private static DpException invalid(String why) {
        return new DpException("the control plane answered the bootstrap request with 200 but " + why
                + " (expected: {\"bootstrap\": \"<base64 of the Envoy bootstrap YAML>\", "
                + "\"kumaSidecarConfiguration\": {...}})");
    }

    /**
     * The Envoy admin port the bootstrap sets ({@code admin.address.socketAddress.portValue}, or the snake_case
     * spelling Envoy also accepts), if any.
     */
    OptionalInt adminPort() {
        try {
            JsonNode address = Json.yaml().readTree(bootstrapYaml).path("admin").path("address");
            JsonNode socket = address.has("socketAddress") ? address.path("socketAddress")
                    : address.path("socket_address");
            JsonNode port = socket.has("portValue") ? socket.path("portValue") : socket.path("port_value");
            return port.canConvertToInt() && port.asInt() > 0 ? OptionalInt.of(port.asInt()) : OptionalInt.empty();
        } catch (JsonProcessingException e) {
            return OptionalInt.empty();
        }
    }

    /** Whether the Dataplane uses transparent proxying ({@code kumaSidecarConfiguration.networking}). */
    boolean usesTransparentProxy() {
        return sidecarConfiguration.path("networking").path("isUsingTransparentProxy").asBoolean(false);
    }

    /** The admin address the bootstrap sets; {@code 127.0.0.1} when it sets none or a wildcard. */
    String adminAddress() {
        try {
            JsonNode address = Json.yaml().readTree(bootstrapYaml).path("admin").path("address");
            JsonNode socket = address.has("socketAddress") ? address.path("socketAddress")
                    : address.path("socket_address");
            String host = socket.path("address").asText("");
            return host.isEmpty() || host.equals("0.0.0.0") ? "127.0.0.1" : host.equals("::") ? "::1" : host;
        } catch (JsonProcessingException e) {
            return "127.0.0.1";
        }
    }

    /**
     * The application metrics endpoints of {@code kumaSidecarConfiguration.metrics.aggregate} (entries without a
     * name, an address or a port in 1-65535 are skipped).
     */
    List<MetricsHijacker.Target> aggregates() {
        List<MetricsHijacker.Target> targets = new ArrayList<>();
        for (JsonNode entry : sidecarConfiguration.path("metrics").path("aggregate")) {
            String name = entry.path("name").asText("");
            String address = entry.path("address").asText("");
            int port = entry.path("port").asInt(0);
            if (!name.isEmpty() && !address.isEmpty() && port >= 1 && port <= 65535) {
                String path = entry.path("path").asText("");
                targets.add(MetricsHijacker.Target.application(name, address, port,
                        path.startsWith("/") ? path : "/" + path));
            }
        }
        return targets;
    }
}
