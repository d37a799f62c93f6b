package io.ursa.ctl;

import static io.ursa.ctl.JsonFields.elements;
import static io.ursa.ctl.JsonFields.instant;
import static io.ursa.ctl.JsonFields.number;
import static io.ursa.ctl.JsonFields.text;
import static io.ursa.ctl.Texts.orDash;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code inspect zoneegresses}: from {@code GET /zoneegressoverviews}, kumactl 2.0's columns ({@code NAME STATUS
 * LAST CONNECTED AGO LAST UPDATED AGO TOTAL UPDATES TOTAL ERRORS KUMA-DP VERSION ENVOY VERSION}) and, as for
 * Dataplanes, the control plane instance, the last acknowledged versions and the last rejection.
 */
@Command(name = "zoneegresses", description = "Inspect Zone Egresses: connection and xDS status.")
final class InspectZoneEgressesCommand implements Callable<Integer> {
    static final List<String> HEADERS = List.of("NAME", "STATUS", "LAST CONNECTED AGO", "LAST UPDATED AGO",
            "TOTAL UPDATES", "TOTAL ERRORS", "KUMA-DP VERSION", "ENVOY VERSION", "CONTROL PLANE",
            "LAST ACKED VERSIONS", "LAST NACK");

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "output format: table, yaml or json (default: ${DEFAULT-VALUE})")
    OutputFormat output;

    private final RootCommand root;

    InspectZoneEgressesCommand(RootCommand root) {
        this.root = requireNonNull(root, "root");
    }

    @Override
    public Integer call() {
        ApiResponse response = root.client().get("/zoneegressoverviews");
        if (!response.isSuccess()) {
            throw new CtlException("failed to list ZoneEgressOverview: " + response.errorMessage());
        }
        JsonNode list = response.json();
        root.env().out().print(output == OutputFormat.TABLE
                ? render(JsonFields.elements(list, "items"), root.env().clock(), ResourceTables.pagingFooter(list))
                : output.write(list));
        root.env().out().flush();
        return 0;
    }

    static String render(List<JsonNode> overviews, Clock clock, String footer) {
        Table table = new Table(HEADERS).footer(footer);
        overviews.forEach(overview -> table.row(row(overview, clock.instant())));
        return table.render();
    }

    private static List<String> row(JsonNode overview, Instant now) {
        List<JsonNode> subscriptions = elements(overview.path("zoneEgressInsight"), "subscriptions");
        JsonNode last = subscriptions.isEmpty() ? MissingNode.getInstance()
                : subscriptions.get(subscriptions.size() - 1);
        boolean online = subscriptions.stream()
                .anyMatch(s -> !text(s, "connectTime").isEmpty() && text(s, "disconnectTime").isEmpty());
        return List.of(
                text(overview, "name"),
                online ? "Online" : "Offline",
                Age.ago(instant(last, "connectTime"), now),
                Age.ago(instant(last, "status", "lastUpdateTime"), now),
                Long.toString(subscriptions.stream().mapToLong(s -> number(s, "status", "total", "responsesSent"))
                        .sum()),
                Long.toString(subscriptions.stream()
                        .mapToLong(s -> number(s, "status", "total", "responsesRejected")).sum()),
                orDash(text(last, "version", "kumaDp", "version")),
                orDash(text(last, "version", "envoy", "version")),
                orDash(text(last, "controlPlaneInstanceId")),
                XdsStatusCells.ackedVersions(last),
                XdsStatusCells.lastRejection(last));
    }
}
