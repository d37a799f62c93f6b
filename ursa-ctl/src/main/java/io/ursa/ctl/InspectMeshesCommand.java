package io.ursa.ctl;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code inspect meshes}: one row per MeshInsight from {@code GET /mesh-insights} (kumactl's columns plus the CA's
 * shortened fingerprint and expiry date); {@code -o yaml|json} prints the insights whole.
 */
@Command(name = "meshes", description = "Inspect Meshes: dataplanes online, policies and the mTLS CA per mesh.")
final class InspectMeshesCommand implements Callable<Integer> {
    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "output format: table, yaml or json (default: ${DEFAULT-VALUE})")
    OutputFormat output;

    private final RootCommand root;

    InspectMeshesCommand(RootCommand root) {
        this.root = requireNonNull(root, "root");
    }

    @Override
    public Integer call() {
        ApiResponse response = root.client().get("/mesh-insights");
        if (!response.isSuccess()) {
            throw new CtlException("failed to list MeshInsight: " + response.errorMessage());
        }
        JsonNode list = response.json();
        root.env().out().print(output == OutputFormat.TABLE
                ? MeshInsightTable.render(JsonFields.elements(list, "items"), ResourceTables.pagingFooter(list))
                : output.write(list));
        root.env().out().flush();
        return 0;
    }
}
