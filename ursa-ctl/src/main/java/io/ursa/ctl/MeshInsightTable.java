package io.ursa.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code inspect meshes} table of kumactl 2.0: {@code MESH  DATAPLANES} (online/total) and the total of
 * each policy type kumactl 2.0 lists, in its order, titled by the type's plural display name.
 */
final class MeshInsightTable {
    static final List<ResourceType<?>> POLICY_COLUMNS = List.of(
            ResourceTypes.TRAFFIC_PERMISSION,
            ResourceTypes.TRAFFIC_ROUTE,
            ResourceTypes.CIRCUIT_BREAKER,
            ResourceTypes.HEALTH_CHECK,
            ResourceTypes.FAULT_INJECTION,
            ResourceTypes.EXTERNAL_SERVICE,
            ResourceTypes.TRAFFIC_TRACE,
            ResourceTypes.TRAFFIC_LOG,
            ResourceTypes.PROXY_TEMPLATE,
            ResourceTypes.RATE_LIMIT);

    private MeshInsightTable() {
    }

    static String render(List<JsonNode> insights, String footer) {
        List<String> headers = new ArrayList<>(List.of("MESH", "DATAPLANES"));
        POLICY_COLUMNS.forEach(t -> headers.add(t.pluralDisplayName().toUpperCase(Locale.ROOT)));
        Table table = new Table(headers).footer(footer);
        for (JsonNode insight : insights) {
            List<String> row = new ArrayList<>();
            row.add(JsonFields.text(insight, "name"));
            row.add(JsonFields.number(insight, "dataplanes", "online") + "/"
                    + JsonFields.number(insight, "dataplanes", "total"));
            POLICY_COLUMNS.forEach(t -> row.add(Long.toString(
                    JsonFields.number(insight, "policies", t.name(), "total"))));
            table.row(row);
        }
        return table.render();
    }
}
