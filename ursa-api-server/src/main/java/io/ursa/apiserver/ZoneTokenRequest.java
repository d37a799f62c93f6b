package io.ursa.apiserver;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.spec.ProtoDuration;
import io.ursa.api.validation.Path;
import io.ursa.api.validation.Violations;
import io.ursa.core.tokens.ZoneTokenIssuer;
import io.ursa.core.tokens.ZoneTokens;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of {@code POST /tokens/zone} (Kuma 2.0's {@code pkg/tokens/builtin/server/types/zone_token_request.go}):
 * {@code {"zone": "east", "scope": ["egress"], "validFor": "24h"}}. {@code zone} may be empty (a token of no
 * zone); {@code scope} is required, as in Kuma ({@code scope: cannot be empty}), and, stricter than Kuma's server
 * (kumactl checks it on its side), an empty list or a value other than {@code ingress} and {@code egress} is refused
 * too; an absent or empty {@code validFor} means {@link ZoneTokenIssuer#DEFAULT_VALIDITY}, Kuma's ten years.
 * Unknown fields are ignored.
 */
record ZoneTokenRequest(String zone, List<String> scope, Duration validFor) {
    ZoneTokenRequest {
        requireNonNull(zone, "zone");
        scope = List.copyOf(scope);
        requireNonNull(validFor, "validFor");
    }

    /**
     * The {@code zone} of a body, or empty when it is absent or not a string: for the access check, which Kuma runs
     * before the fields are checked.
     */
    static String zoneOf(JsonNode body) {
        JsonNode zone = body.path("zone");
        return zone.isTextual() ? zone.asText() : "";
    }

    /** Reads and checks the request; every problem is reported at once, with its field. */
    static ZoneTokenRequest read(JsonNode body) {
        Violations violations = new Violations();
        if (!body.isObject()) {
            violations.add(Path.root(), "expected an object, got: " + ResourceCodec.describe(body));
            violations.throwIfAny();
        }
        String zone = "";
        JsonNode zoneNode = body.path("zone");
        if (zoneNode.isTextual()) {
            zone = zoneNode.asText();
        } else if (!zoneNode.isMissingNode() && !zoneNode.isNull()) {
            violations.add(Path.of("zone"), "expected a string, got: " + ResourceCodec.describe(zoneNode));
        }
        List<String> scope = scope(body.path("scope"), violations);
        Duration validFor = validFor(body.path("validFor"), violations);
        violations.throwIfAny();
        return new ZoneTokenRequest(zone, scope, validFor);
    }

    private static List<String> scope(JsonNode node, Violations violations) {
        List<String> scope = new ArrayList<>();
        if (node.isMissingNode() || node.isNull()) {
            violations.add(Path.of("scope"), "cannot be empty");
            return scope;
        }
        if (!node.isArray()) {
            violations.add(Path.of("scope"), "expected a list of strings, got: " + ResourceCodec.describe(node));
            return scope;
        }
        if (node.isEmpty()) {
            violations.add(Path.of("scope"), "cannot be empty");
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode value = node.get(i);
            if (!value.isTextual()) {
                violations.add(Path.of("scope").index(i), "expected a string, got: " + ResourceCodec.describe(value));
            } else if (!ZoneTokens.FULL_SCOPE.contains(value.asText())) {
                violations.add(Path.of("scope").index(i), "unsupported scope \"" + value.asText()
                        + "\" (expected one of: " + String.join(", ", ZoneTokens.FULL_SCOPE) + ")");
            } else if (!scope.contains(value.asText())) {
                scope.add(value.asText());
            }
        }
        return scope;
    }

    private static Duration validFor(JsonNode node, Violations violations) {
        if (node.isMissingNode() || node.isNull()) {
            return ZoneTokenIssuer.DEFAULT_VALIDITY;
        }
        if (!node.isTextual()) {
            violations.add(Path.of("validFor"), "expected a string, got: " + ResourceCodec.describe(node));
            return ZoneTokenIssuer.DEFAULT_VALIDITY;
        }
        String text = node.asText();
        if (text.isEmpty()) {
            return ZoneTokenIssuer.DEFAULT_VALIDITY;
        }
        try {
            Duration duration = ProtoDuration.parse(text).value();
            if (duration.isZero() || duration.isNegative()) {
                violations.add(Path.of("validFor"), "is invalid: \"" + text
                        + "\" is not positive (expected: e.g. 24h)");
            }
            return duration;
        } catch (IllegalArgumentException e) {
            violations.add(Path.of("validFor"), "is invalid: " + e.getMessage());
            return ZoneTokenIssuer.DEFAULT_VALIDITY;
        }
    }
}
