package io.ursa.ctl;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code inspect dataplanes [-m MESH] [--tag k=v]...}: from {@code GET /meshes/{mesh}/dataplanes+insights}. */
@Command(name = "dataplanes", description = "Inspect Dataplanes: connection, xDS and certificate status.")
final class InspectDataplanesCommand implements Callable<Integer> {
    @Option(names = {"-m", "--mesh"}, paramLabel = "MESH", defaultValue = "default",
            description = "mesh to use (default: ${DEFAULT-VALUE})")
    String mesh;

    @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "only dataplanes with this tag (repeatable)")
    Map<String, String> tags = new LinkedHashMap<>();

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "output format: table, yaml or json (default: ${DEFAULT-VALUE})")
    OutputFormat output;

    private final RootCommand root;

    InspectDataplanesCommand(RootCommand root) {
        this.root = requireNonNull(root, "root");
    }

    @Override
    public Integer call() {
        ResourcePaths.Query query = new ResourcePaths.Query();
        tags.forEach((key, value) -> query.add("tag", key + ":" + value));
        ApiResponse response = root.client().get(
                query.appendTo("/meshes/" + ResourcePaths.segment(mesh) + "/dataplanes+insights"));
        if (!response.isSuccess()) {
            throw new CtlException("failed to list DataplaneOverview: " + response.errorMessage());
        }
        JsonNode list = response.json();
        root.env().out().print(output == OutputFormat.TABLE
                ? DataplaneOverviewTable.render(JsonFields.elements(list, "items"), root.env().clock(),
                        ResourceTables.pagingFooter(list))
                : output.write(list));
        root.env().out().flush();
        return 0;
    }
}
