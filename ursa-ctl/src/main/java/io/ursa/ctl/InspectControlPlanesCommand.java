package io.ursa.ctl;

import static io.ursa.ctl.JsonFields.instant;
import static io.ursa.ctl.JsonFields.text;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code inspect control-planes}: from {@code GET /control-planes}, the control-plane instances that share the
 * store, which of them leads, and which one answered ({@code *} after its id).
 */
@Command(name = "control-planes", description = "Inspect the control-plane instances: which leads, when each was "
        + "last seen.")
final class InspectControlPlanesCommand implements Callable<Integer> {
    static final List<String> HEADERS = List.of("ID", "HOSTNAME", "LEADER", "VERSION", "STARTED AGO",
            "LAST SEEN AGO");

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "output format: table, yaml or json (default: ${DEFAULT-VALUE})")
    OutputFormat output;

    private final RootCommand root;

    InspectControlPlanesCommand(RootCommand root) {
        this.root = requireNonNull(root, "root");
    }

    @Override
    public Integer call() {
        ApiResponse response = root.client().get("/control-planes");
        if (!response.isSuccess()) {
            throw new CtlException("failed to list control-plane instances: " + response.errorMessage());
        }
        JsonNode list = response.json();
        root.env().out().print(output == OutputFormat.TABLE
                ? render(JsonFields.elements(list, "items"), root.env().clock())
                : output.write(list));
        root.env().out().flush();
        return 0;
    }

    static String render(List<JsonNode> instances, Clock clock) {
        Table table = new Table(HEADERS);
        Instant now = clock.instant();
        for (JsonNode instance : instances) {
            table.row(List.of(
                    text(instance, "id") + (instance.path("self").asBoolean() ? " *" : ""),
                    text(instance, "hostname"),
                    instance.path("leader").asBoolean() ? "yes" : "no",
                    text(instance, "version"),
                    Age.ago(instant(instance, "startedAt"), now),
                    Age.ago(instant(instance, "lastSeen"), now)));
        }
        return table.render();
    }
}
