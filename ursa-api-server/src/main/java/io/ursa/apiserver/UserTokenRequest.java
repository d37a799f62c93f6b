package io.ursa.apiserver;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.spec.ProtoDuration;
import io.ursa.api.validation.Path;
import io.ursa.api.validation.Violations;
import io.ursa.core.access.User;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of {@code POST /tokens/user}: {@code {"name": "alice", "groups": ["team-a"], "validFor": "24h"}}.
 * {@code name} is required; {@code groups} may be absent; an absent or empty {@code validFor} means
 * {@link #DEFAULT_VALIDITY}, a day (not Kuma's ten years for dataplane tokens: a user token is a password, and one
 * that is forgotten should not work for a decade). Unknown fields are ignored.
 */
record UserTokenRequest(String name, List<String> groups, Duration validFor) {
    static final Duration DEFAULT_VALIDITY = Duration.ofHours(24);

    UserTokenRequest {
        requireNonNull(name, "name");
        groups = List.copyOf(groups);
        requireNonNull(validFor, "validFor");
    }

    /** Reads and checks the request; every problem is reported at once, with its field. */
    static UserTokenRequest read(JsonNode body) {
        Violations violations = new Violations();
        if (!body.isObject()) {
            violations.add(Path.root(), "expected an object, got: " + ResourceCodec.describe(body));
            violations.throwIfAny();
        }
        String name = "";
        JsonNode nameNode = body.path("name");
        if (nameNode.isMissingNode() || nameNode.isNull() || (nameNode.isTextual() && nameNode.asText().isEmpty())) {
            violations.add(Path.of("name"), "cannot be empty");
        } else if (!nameNode.isTextual()) {
            violations.add(Path.of("name"), "expected a string, got: " + ResourceCodec.describe(nameNode));
        } else {
            name = nameNode.asText();
        }
        List<String> groups = groups(body.path("groups"), violations);
        Duration validFor = validFor(body.path("validFor"), violations);
        violations.throwIfAny();
        return new UserTokenRequest(name, groups, validFor);
    }

    User user() {
        return new User(name, groups);
    }

    private static List<String> groups(JsonNode node, Violations violations) {
        List<String> groups = new ArrayList<>();
        if (node.isMissingNode() || node.isNull()) {
            return groups;
        }
        if (!node.isArray()) {
            violations.add(Path.of("groups"), "expected a list of strings, got: " + ResourceCodec.describe(node));
            return groups;
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode group = node.get(i);
            if (!group.isTextual()) {
                violations.add(Path.of("groups").index(i), "expected a string, got: " + ResourceCodec.describe(group));
            } else if (group.asText().isEmpty()) {
                violations.add(Path.of("groups").index(i), "cannot be empty");
            } else {
                groups.add(group.asText());
            }
        }
        return groups;
    }

    private static Duration validFor(JsonNode node, Violations violations) {
        if (node.isMissingNode() || node.isNull()) {
            return DEFAULT_VALIDITY;
        }
        if (!node.isTextual()) {
            violations.add(Path.of("validFor"), "expected a string, got: " + ResourceCodec.describe(node));
            return DEFAULT_VALIDITY;
        }
        String text = node.asText();
        if (text.isEmpty()) {
            return DEFAULT_VALIDITY;
        }
        try {
            Duration duration = ProtoDuration.parse(text).value();
            if (duration.isZero() || duration.isNegative()) {
                violations.add(Path.of("validFor"), "is invalid: \"" + text + "\" is not positive (expected: e.g. 24h)");
            }
            return duration;
        } catch (IllegalArgumentException e) {
            violations.add(Path.of("validFor"), "is invalid: " + e.getMessage());
            return DEFAULT_VALIDITY;
        }
    }
}
