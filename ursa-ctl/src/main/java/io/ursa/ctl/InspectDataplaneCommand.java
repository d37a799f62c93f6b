package io.ursa.ctl;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code inspect dataplane NAME [-m MESH] [--type policies|config-dump]}, as kumactl 2.0: the policies that match
 * the Dataplane ({@code GET /meshes/{mesh}/dataplanes/{name}/policies}, as text by default), or the configuration
 * its proxy is served ({@code .../xds}, as JSON by default).
 */
@Command(name = "dataplane", description = "Inspect one Dataplane: the policies that match it, or the configuration"
        + " its proxy is served.")
final class InspectDataplaneCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "name of the Dataplane")
    String name;

    @Option(names = {"-m", "--mesh"}, paramLabel = "MESH", defaultValue = "default",
            description = "mesh to use (default: ${DEFAULT-VALUE})")
    String mesh;

    @Option(names = "--type", paramLabel = "TYPE", defaultValue = "policies",
            converter = InspectionType.Converter.class,
            description = "inspection type: policies or config-dump (default: ${DEFAULT-VALUE})")
    InspectionType type;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "output format: table, yaml or json (default: ${DEFAULT-VALUE}; a config dump is JSON"
                    + " unless yaml is asked for)")
    OutputFormat output;

    private final RootCommand root;

    InspectDataplaneCommand(RootCommand root) {
        this.root = requireNonNull(root, "root");
    }

    @Override
    public Integer call() {
        ApiResponse response = root.client().get("/meshes/" + ResourcePaths.segment(mesh) + "/dataplanes/"
                + ResourcePaths.segment(name) + "/" + type.endpoint());
        if (!response.isSuccess()) {
            throw new CtlException("failed to inspect " + Texts.describe("Dataplane", mesh, name) + ": "
                    + response.errorMessage());
        }
        JsonNode body = response.json();
        String text;
        if (output != OutputFormat.TABLE) {
            text = output.write(body);
        } else if (type == InspectionType.POLICIES) {
            text = MatchedPoliciesText.render(body);
        } else {
            text = OutputFormat.JSON.write(body);
        }
        root.env().out().print(text);
        root.env().out().flush();
        return 0;
    }
}
