package io.ursa.api.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.ursa.api.codec.Json;
import io.ursa.api.codec.ParserMessages;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The syntax checks Ursa can make on Envoy resources written as YAML inside a ProxyTemplate. Kuma also checks
 * them against Envoy's protos; Ursa does that where the protos are, when the template is applied to a sidecar
 * ({@code ursa-xds}'s {@code StrictEnvoyYaml}), and a value that does not parse then fails that proxy's generation.
 * Each check returns what is wrong, if anything.
 */
final class EnvoyYaml {
    private EnvoyYaml() {
    }

    /** A resource to add: a non-empty YAML object. */
    static Optional<String> checkResource(String yaml) {
        return check(yaml, node -> node.isObject() && !node.isEmpty(), "a YAML object with the resource's fields");
    }

    /** A patch: empty, or a YAML object. */
    static Optional<String> checkPatch(String yaml) {
        return check(yaml, node -> node.isObject() || node.isMissingNode() || node.isNull(), "a YAML object");
    }

    /** A raw resource: a YAML object naming its type in {@code '@type'}. */
    static Optional<String> checkTypedResource(String yaml) {
        return check(yaml, node -> node.isObject() && !node.path("@type").asText("").isEmpty(),
                "a YAML object with \"@type\" (e.g. type.googleapis.com/envoy.config.cluster.v3.Cluster)");
    }

    private static Optional<String> check(String yaml, Predicate<JsonNode> accepted, String expected) {
        JsonNode node;
        try {
            node = Json.yaml().readTree(yaml);
        } catch (JsonProcessingException e) {
            return Optional.of(invalid(summary(e)));
        }
        if (node == null) {
            node = Json.yaml().missingNode();
        }
        return accepted.test(node) ? Optional.empty()
                : Optional.of(invalid("expected " + expected + ", got: " + describe(node)));
    }

    /**
     * The parser's message without its source excerpts (snakeyaml puts the problem on unindented lines and the
     * excerpts on indented ones), and in words about the input ({@link ParserMessages}).
     */
    private static String summary(JsonProcessingException e) {
        String problem = e.getOriginalMessage().lines()
                .filter(line -> !line.isBlank() && !Character.isWhitespace(line.charAt(0)))
                .map(ParserMessages::firstLine)
                .collect(Collectors.joining(": "));
        return e.getLocation() == null ? problem
                : problem + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }

    private static String invalid(String why) {
        return "native Envoy resource is not valid: " + why;
    }

    private static String describe(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return "nothing";
        }
        if (node.isObject()) {
            return node.isEmpty() ? "an empty object" : "an object without \"@type\"";
        }
        return node.isArray() ? "a list" : node.toString();
    }
}
