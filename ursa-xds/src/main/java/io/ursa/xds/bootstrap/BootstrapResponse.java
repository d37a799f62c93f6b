package io.ursa.xds.bootstrap;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog;
import io.envoyproxy.envoy.extensions.resource_monitors.fixed_heap.v3.FixedHeapConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The answer to {@code POST /bootstrap} with {@code accept: application/json} (mesh-spec §10.2):
 * {@code {"bootstrap": <base64 of the YAML>, "kumaSidecarConfiguration": {"networking": {...}, "metrics":
 * {"aggregate": [...]}}}}. The YAML is the bootstrap's proto JSON (camelCase keys, zero values left out) with keys
 * sorted, as Kuma's golden files are written.
 *
 * @param transparentProxy whether the proxy runs in transparent-proxy mode
 * @param aggregate        the metrics the agent merges into Envoy's (empty: none)
 */
public record BootstrapResponse(Bootstrap bootstrap, boolean transparentProxy, List<MetricsAggregate> aggregate) {

    /** One {@code kumaSidecarConfiguration.metrics.aggregate[]} entry: an application endpoint to scrape. */
    public record MetricsAggregate(String name, String address, int port, String path) {
        public MetricsAggregate {
            requireNonNull(name, "name");
            requireNonNull(address, "address");
            requireNonNull(path, "path");
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("invalid port: " + port + " (expected: 1-65535)");
            }
        }
    }

    /** Every message the bootstrap may hold in an {@code Any}. */
    private static final JsonFormat.TypeRegistry TYPES = JsonFormat.TypeRegistry.newBuilder()
            .add(List.of(HttpProtocolOptions.getDescriptor(), UpstreamTlsContext.getDescriptor(),
                    FileAccessLog.getDescriptor(), FixedHeapConfig.getDescriptor()))
            .build();
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().usingTypeRegistry(TYPES);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .stringQuotingChecker(new io.ursa.api.codec.YamlQuoting())
            .build());

    public BootstrapResponse {
        requireNonNull(bootstrap, "bootstrap");
        aggregate = List.copyOf(requireNonNull(aggregate, "aggregate"));
    }

    /**
     * The bootstrap as a tree: proto JSON with the keys of every object sorted, and whole doubles written as integers
     * ({@code 1000}, not Java's {@code 1000.0}; Struct numbers such as the runtime's {@code re2} levels, as Go prints
     * them). Both forms parse to the same double.
     */
    public static JsonNode tree(Bootstrap bootstrap) {
        requireNonNull(bootstrap, "bootstrap");
        try {
            return sortKeys(JSON.readTree(PRINTER.print(bootstrap)));
        } catch (InvalidProtocolBufferException | JsonProcessingException e) {
            // every Any type is registered and the printer's output is JSON
            throw new IllegalStateException("cannot render the bootstrap as proto JSON", e);
        }
    }

    /** The bootstrap as YAML (what kuma-dp writes to {@code bootstrap.yaml}). */
    public static String yaml(Bootstrap bootstrap) {
        try {
            return YAML.writeValueAsString(tree(bootstrap));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the bootstrap as YAML", e);
        }
    }

    /** The response body. */
    public String toJson() {
        ObjectNode body = JSON.createObjectNode();
        body.put("bootstrap", Base64.getEncoder().encodeToString(yaml(bootstrap).getBytes(StandardCharsets.UTF_8)));
        ObjectNode sidecar = body.putObject("kumaSidecarConfiguration");
        sidecar.putObject("networking").put("isUsingTransparentProxy", transparentProxy);
        ArrayNode entries = sidecar.putObject("metrics").putArray("aggregate");
        for (MetricsAggregate entry : aggregate) {
            entries.addObject()
                    .put("name", entry.name())
                    .put("address", entry.address())
                    .put("port", entry.port())
                    .put("path", entry.path());
        }
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the bootstrap response", e);
        }
    }

    private static JsonNode sortKeys(JsonNode node) {
        if (node instanceof ObjectNode object) {
            ObjectNode sorted = JSON.createObjectNode();
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            names.forEach(name -> sorted.set(name, sortKeys(object.get(name))));
            return sorted;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode copy = JSON.createArrayNode();
            array.forEach(element -> copy.add(sortKeys(element)));
            return copy;
        }
        if (node.isDouble() && isWhole(node.doubleValue())) {
            return JSON.getNodeFactory().numberNode((long) node.doubleValue());
        }
        return node;
    }

    private static boolean isWhole(double value) {
        return value == Math.rint(value) && Math.abs(value) < 0x1p53;
    }
}
