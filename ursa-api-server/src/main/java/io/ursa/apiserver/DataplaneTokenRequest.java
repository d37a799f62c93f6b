package io.ursa.apiserver;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.spec.ProtoDuration;
import io.ursa.api.validation.Path;
import io.ursa.api.validation.Violations;
import io.ursa.core.tokens.DataplaneIdentity;
import io.ursa.core.tokens.DataplaneTokenIssuer;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The body of {@code POST /tokens/dataplane} (spec §10.4):
 * {@code {"name": "", "mesh": "", "tags": {"k": ["v"]}, "type": "", "validFor": "24h"}}. Unknown fields are
 * ignored; an absent or empty {@code validFor} means {@link DataplaneTokenIssuer#DEFAULT_VALIDITY}.
 */
record DataplaneTokenRequest(String name, String mesh, Map<String, Set<String>> tags, String type,
                             Duration validFor) {
    DataplaneTokenRequest {
        requireNonNull(name, "name");
        requireNonNull(mesh, "mesh");
        tags = Map.copyOf(tags);
        requireNonNull(type, "type");
        requireNonNull(validFor, "validFor");
    }

    /**
     * Reads and checks the request; every problem is reported at once as a
     * {@link io.ursa.api.validation.ValidationException}: fields of the wrong JSON type, then Kuma's rules in its
     * order ({@code mesh}, {@code validFor}, {@code type}).
     */
    static DataplaneTokenRequest read(JsonNode body) {
        Violations violations = new Violations();
        if (!body.isObject()) {
            violations.add(Path.root(), "expected an object, got: " + ResourceCodec.describe(body));
            violations.throwIfAny();
        }
        String name = text(body, "name", violations);
        String mesh = text(body, "mesh", violations);
        Map<String, Set<String>> tags = tags(body.path("tags"), violations);
        String type = text(body, "type", violations);
        String validForText = text(body, "validFor", violations);

        if (mesh.isEmpty() && violations.list().stream().noneMatch(v -> v.field().equals("mesh"))) {
            violations.add(Path.of("mesh"), "cannot be empty");
        }
        Duration validFor = validFor(validForText, violations);
        if (!type.isEmpty() && !DataplaneIdentity.PROXY_TYPES.contains(type)) {
            violations.add(Path.of("type"), type + " is not a valid proxy type");
        }
        violations.throwIfAny();
        return new DataplaneTokenRequest(name, mesh, tags, type, validFor);
    }

    DataplaneIdentity identity() {
        return DataplaneIdentity.of(name, mesh, tags, type);
    }

    private static Duration validFor(String text, Violations violations) {
        if (text.isEmpty()) {
            return DataplaneTokenIssuer.DEFAULT_VALIDITY;
        }
        try {
            Duration duration = ProtoDuration.parse(text).value();
            if (duration.isZero()) {
                violations.add(Path.of("validFor"), "is invalid: \"" + text + "\" is not positive (expected: e.g. 24h)");
            }
            return duration;
        } catch (IllegalArgumentException e) {
            violations.add(Path.of("validFor"), "is invalid: " + e.getMessage());
            return Duration.ZERO;
        }
    }

    private static String text(JsonNode body, String field, Violations violations) {
        JsonNode node = body.path(field);
        if (node.isMissingNode() || node.isNull()) {
            return "";
        }
        if (!node.isTextual()) {
            violations.add(Path.of(field), "expected a string, got: " + ResourceCodec.describe(node));
            return "";
        }
        return node.asText();
    }

    private static Map<String, Set<String>> tags(JsonNode node, Violations violations) {
        Map<String, Set<String>> tags = new TreeMap<>();
        if (node.isMissingNode() || node.isNull()) {
            return tags;
        }
        if (!node.isObject()) {
            violations.add(Path.of("tags"), "expected an object of string lists, got: " + ResourceCodec.describe(node));
            return tags;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> tag = it.next();
            Path path = Path.of("tags").key(tag.getKey());
            JsonNode values = tag.getValue();
            if (values.isNull()) {
                continue;
            }
            Set<String> set = new TreeSet<>();
            if (!values.isArray()) {
                violations.add(path, "expected a list of strings, got: " + ResourceCodec.describe(values));
                continue;
            }
            for (int i = 0; i < values.size(); i++) {
                if (values.get(i).isTextual()) {
                    set.add(values.get(i).asText());
                } else {
                    violations.add(path.index(i), "expected a string, got: " + ResourceCodec.describe(values.get(i)));
                }
            }
            tags.put(tag.getKey(), set);
        }
        return tags;
    }
}
