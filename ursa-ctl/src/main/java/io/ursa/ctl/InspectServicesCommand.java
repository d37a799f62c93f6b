package io.ursa.ctl;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code inspect services [-m MESH]}, as kumactl 2.0: one row per ServiceInsight of
 * {@code GET /meshes/{mesh}/service-insights} ({@link ServiceInsightTable}); {@code -o yaml|json} prints the list
 * whole.
 */
@Command(name = "services", description = "Inspect Services: status and dataplanes online per service.")
final class InspectServicesCommand implements Callable<Integer> {
    @Option(names = {"-m", "--mesh"}, paramLabel = "MESH", defaultValue = "default",
            description = "mesh to use (default: ${DEFAULT-VALUE})")
    String mesh;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "output format: table, yaml or json (default: ${DEFAULT-VALUE})")
    OutputFormat output;

    private final RootCommand root;

    InspectServicesCommand(RootCommand root) {
        this.root = requireNonNull(root, "root");
    }

    @Override
    public Integer call() {
        ApiResponse response = root.client().get("/meshes/" + ResourcePaths.segment(mesh) + "/service-insights");
        if (!response.isSuccess()) {
            throw new CtlException("failed to list ServiceInsight: " + response.errorMessage());
        }
        JsonNode list = response.json();
        root.env().out().print(output == OutputFormat.TABLE
                ? ServiceInsightTable.render(JsonFields.elements(list, "items"), ResourceTables.pagingFooter(list))
                : output.write(list));
        root.env().out().flush();
        return 0;
    }
}
