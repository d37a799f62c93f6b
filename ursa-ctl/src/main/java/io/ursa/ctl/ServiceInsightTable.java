package io.ursa.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The {@code inspect services} table of kumactl 2.0: {@code SERVICE  STATUS  DATAPLANES} (online/total). STATUS is
 * kumactl's wording of the ServiceInsight's {@code status}: {@code Online}, {@code Partially degraded}, and
 * {@code Offline} for everything else, an ExternalService's {@code not_available} included ({@code -o yaml} shows
 * the status as the API gives it, and the {@code serviceType}).
 */
final class ServiceInsightTable {
    private ServiceInsightTable() {
    }

    static String render(List<JsonNode> insights, String footer) {
        Table table = new Table(List.of("SERVICE", "STATUS", "DATAPLANES")).footer(footer);
        for (JsonNode insight : insights) {
            table.row(List.of(JsonFields.text(insight, "name"), status(JsonFields.text(insight, "status")),
                    JsonFields.number(insight, "dataplanes", "online") + "/"
                            + JsonFields.number(insight, "dataplanes", "total")));
        }
        return table.render();
    }

    private static String status(String status) {
        return switch (status) {
            case "online" -> "Online";
            case "partially_degraded" -> "Partially degraded";
            default -> "Offline";
        };
    }
}
