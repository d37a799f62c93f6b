package io.ursa.ctl;

import static io.ursa.ctl.JsonFields.elements;
import static io.ursa.ctl.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * kumactl 2.0's text of {@code inspect dataplane --type policies}: one block per attachment point
 * ({@code DATAPLANE:}, {@code INBOUND <name>(<service>):}, {@code OUTBOUND ...}, {@code SERVICE <service>:}), each
 * policy type with the names of its policies under it. Ursa adds, after each name, the selectors it matched by
 * (the {@code matchedBy} of the answer), e.g. {@code (source: kuma.io/service=web; destination: kuma.io/service=*)}.
 */
final class MatchedPoliciesText {
    private static final List<String> REASON_FIELDS = List.of("selector", "source", "destination");

    private MatchedPoliciesText() {
    }

    static String render(JsonNode result) {
        List<JsonNode> items = elements(result, "items");
        if (items.isEmpty()) {
            return "No policies match this Dataplane.\n";
        }
        List<String> blocks = new ArrayList<>();
        for (JsonNode item : items) {
            StringBuilder block = new StringBuilder(heading(item)).append(":\n");
            item.path("matchedPolicies").fields().forEachRemaining(type -> {
                block.append("  ").append(type.getKey()).append('\n');
                List<JsonNode> reasons = elements(item, "matchedBy", type.getKey());
                List<JsonNode> policies = elements(type.getValue());
                for (int i = 0; i < policies.size(); i++) {
                    block.append("    ").append(text(policies.get(i), "name"));
                    if (i < reasons.size()) {
                        block.append(reason(reasons.get(i)));
                    }
                    block.append('\n');
                }
            });
            blocks.add(block.toString());
        }
        return String.join("\n", blocks);
    }

    private static String heading(JsonNode item) {
        String type = text(item, "type");
        String name = text(item, "name");
        String service = text(item, "service");
        return switch (type) {
            case "dataplane" -> "DATAPLANE";
            case "service" -> "SERVICE " + name;
            default -> type.toUpperCase(Locale.ROOT) + " " + name + "(" + service + ")";
        };
    }

    private static String reason(JsonNode reason) {
        List<String> parts = new ArrayList<>();
        for (String field : REASON_FIELDS) {
            JsonNode match = reason.path(field).path("match");
            if (match.isObject()) {
                Map<String, String> tags = new TreeMap<>();
                match.fields().forEachRemaining(tag -> tags.put(tag.getKey(), tag.getValue().asText()));
                List<String> pairs = new ArrayList<>();
                tags.forEach((key, value) -> pairs.add(key + "=" + value));
                parts.add(field + ": " + String.join(" ", pairs));
            }
        }
        return parts.isEmpty() ? "" : " (" + String.join("; ", parts) + ")";
    }
}
