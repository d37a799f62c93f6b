package io.ursa.ctl;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * kumactl 2.0's text of {@code inspect <policy> NAME} ({@code app/kumactl/cmd/inspect/inspect_policy.go}): under
 * {@code Affected data plane proxies:}, each Dataplane the policy hits, then, indented, where: {@code dataplane},
 * {@code service <name>}, or {@code <type> <name>(<service>)}. A Dataplane hit only as a whole (its one attachment
 * is the dataplane) is a line of its own, without the list.
 */
final class AffectedDataplanesText {
    private AffectedDataplanesText() {
    }

    static String render(JsonNode answer) {
        StringBuilder out = new StringBuilder("Affected data plane proxies:\n\n");
        for (JsonNode item : answer.path("items")) {
            out.append("  ").append(JsonFields.text(item, "dataplane", "name"));
            JsonNode attachments = item.path("attachments");
            boolean wholeOnly = attachments.size() == 1
                    && JsonFields.text(attachments.get(0), "type").equals("dataplane");
            if (!wholeOnly) {
                out.append(":\n");
                for (JsonNode attachment : attachments) {
                    out.append("    ").append(attachment(attachment)).append('\n');
                }
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String attachment(JsonNode attachment) {
        String type = JsonFields.text(attachment, "type");
        String name = JsonFields.text(attachment, "name");
        return switch (type) {
            case "dataplane" -> type;
            case "service" -> type + " " + name;
            default -> type + " " + name + "(" + JsonFields.text(attachment, "service") + ")";
        };
    }
}
