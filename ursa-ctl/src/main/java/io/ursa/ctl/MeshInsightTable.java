package io.ursa.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code inspect meshes} table of kumactl 2.0: {@code MESH  DATAPLANES} (online/total) and the total of
 * each policy type kumactl 2.0 lists, in its order, titled by the type's plural display name; then Ursa's
 * {@code CA FINGERPRINT} (the first {@value #FINGERPRINT_BYTES} bytes of the SHA-256, {@code AB:CD:...}) and
 * {@code CA EXPIRATION} (UTC date) from the insight's {@code meshCa}: {@code -} when mTLS is off,
 * {@code unavailable} when the CA cannot be used ({@code -o yaml} shows why and the full fingerprint).
 */
final class MeshInsightTable {
    static final int FINGERPRINT_BYTES = 8;
    static final String UNAVAILABLE = "unavailable";

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
        headers.add("CA FINGERPRINT");
        headers.add("CA EXPIRATION");
        Table table = new Table(headers).footer(footer);
        for (JsonNode insight : insights) {
            List<String> row = new ArrayList<>();
            row.add(JsonFields.text(insight, "name"));
            row.add(JsonFields.number(insight, "dataplanes", "online") + "/"
                    + JsonFields.number(insight, "dataplanes", "total"));
            POLICY_COLUMNS.forEach(t -> row.add(Long.toString(
                    JsonFields.number(insight, "policies", t.name(), "total"))));
            row.add(caFingerprint(insight));
            row.add(caExpiration(insight));
            table.row(row);
        }
        return table.render();
    }

    private static String caFingerprint(JsonNode insight) {
        if (!insight.has("meshCa")) {
            return "-";
        }
        String fingerprint = JsonFields.text(insight, "meshCa", "fingerprint");
        if (fingerprint.isEmpty()) {
            return UNAVAILABLE;
        }
        int shown = FINGERPRINT_BYTES * 3 - 1;
        return fingerprint.length() <= shown ? fingerprint : fingerprint.substring(0, shown) + "...";
    }

    private static String caExpiration(JsonNode insight) {
        return JsonFields.instant(insight, "meshCa", "notAfter")
                .map(notAfter -> DateTimeFormatter.ISO_LOCAL_DATE.format(notAfter.atOffset(ZoneOffset.UTC)))
                .orElse("-");
    }
}
