package io.ursa.ctl;

import static io.ursa.ctl.JsonFields.elements;
import static io.ursa.ctl.JsonFields.instant;
import static io.ursa.ctl.JsonFields.number;
import static io.ursa.ctl.JsonFields.text;
import static io.ursa.ctl.Texts.orDash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The {@code inspect dataplanes} table of kumactl 2.0, from DataplaneOverview JSON ({@code dataplane} spec and
 * {@code dataplaneInsight}), with three columns of Ursa's after kumactl's: the control plane instance the proxy
 * is connected to, the versions it acknowledged last and its last rejection ({@link XdsStatusCells}), all of the
 * newest subscription. Values the JSON does not have are {@code -} ({@code never} for times). Certificate expiry
 * is shown in the clock's time zone.
 */
final class DataplaneOverviewTable {
    static final List<String> HEADERS = List.of("MESH", "NAME", "TAGS", "STATUS", "LAST CONNECTED AGO",
            "LAST UPDATED AGO", "TOTAL UPDATES", "TOTAL ERRORS", "CERT REGENERATED AGO", "CERT EXPIRATION",
            "CERT REGENERATIONS", "CERT BACKEND", "SUPPORTED CERT BACKENDS", "KUMA-DP VERSION", "ENVOY VERSION",
            "DEPENDENCIES VERSIONS", "CONTROL PLANE", "LAST ACKED VERSIONS", "LAST NACK");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private DataplaneOverviewTable() {
    }

    static String render(List<JsonNode> overviews, Clock clock, String footer) {
        Table table = new Table(HEADERS).footer(footer);
        overviews.forEach(overview -> table.row(row(overview, clock)));
        return table.render();
    }

    private static List<String> row(JsonNode overview, Clock clock) {
        Instant now = clock.instant();
        JsonNode dataplane = overview.path("dataplane");
        JsonNode insight = overview.path("dataplaneInsight");
        List<JsonNode> subscriptions = elements(insight, "subscriptions");
        JsonNode last = subscriptions.isEmpty() ? MissingNode.getInstance() : subscriptions.get(subscriptions.size() - 1);
        JsonNode mtls = insight.path("mTLS");
        return List.of(
                text(overview, "mesh"),
                text(overview, "name"),
                TagSets.ofDataplane(dataplane),
                status(dataplane, subscriptions),
                Age.ago(instant(last, "connectTime"), now),
                Age.ago(instant(last, "status", "lastUpdateTime"), now),
                Long.toString(subscriptions.stream().mapToLong(s -> number(s, "status", "total", "responsesSent")).sum()),
                Long.toString(subscriptions.stream().mapToLong(s -> number(s, "status", "total", "responsesRejected")).sum()),
                Age.ago(instant(mtls, "lastCertificateRegeneration"), now),
                instant(mtls, "certificateExpirationTime").map(t -> DATE.format(t.atZone(clock.getZone()))).orElse("-"),
                Long.toString(number(mtls, "certificateRegenerations")),
                orDash(text(mtls, "issuedBackend")),
                orDash(elements(mtls, "supportedBackends").stream().map(JsonNode::asText).collect(Collectors.joining(","))),
                orDash(text(last, "version", "kumaDp", "version")),
                orDash(text(last, "version", "envoy", "version")),
                orDash(dependencies(last.path("version").path("dependencies"))),
                orDash(text(last, "controlPlaneInstanceId")),
                XdsStatusCells.ackedVersions(last),
                XdsStatusCells.lastRejection(last));
    }

    /**
     * Kuma's rule: Offline when no subscription is connected or every inbound is unhealthy, Partially degraded
     * when some are, else Online. A gateway has no inbounds to check.
     */
    static String status(JsonNode dataplane, List<JsonNode> subscriptions) {
        boolean online = subscriptions.stream()
                .anyMatch(s -> !text(s, "connectTime").isEmpty() && text(s, "disconnectTime").isEmpty());
        List<JsonNode> inbounds = elements(dataplane, "networking", "inbound");
        long unhealthy = inbounds.stream()
                .filter(i -> i.path("health").isObject() && !i.path("health").path("ready").asBoolean(false))
                .count();
        boolean gateway = dataplane.path("networking").path("gateway").isObject();
        boolean allOffline = !gateway && unhealthy == inbounds.size();
        boolean allOnline = gateway || unhealthy == 0;
        if (!online || allOffline) {
            return "Offline";
        }
        return allOnline ? "Online" : "Partially degraded";
    }

    private static String dependencies(JsonNode versions) {
        Map<String, String> sorted = new TreeMap<>();
        versions.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue().asText()));
        List<String> parts = new ArrayList<>();
        sorted.forEach((name, version) -> parts.add(name + ": " + version));
        return String.join(", ", parts);
    }
}
