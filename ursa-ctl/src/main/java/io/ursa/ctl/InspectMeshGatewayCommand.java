package io.ursa.ctl;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.ursa.api.resource.ResourceTypes;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code inspect meshgateway NAME [-m MESH]}, as kumactl 2.0 ({@code app/kumactl/cmd/inspect/inspect_meshgateway.go}):
 * the Dataplanes the MeshGateway matches, from {@code GET /meshes/{mesh}/meshgateways/{name}/dataplanes}
 * ({@code {"total": N, "items": [{"dataplane": {"mesh", "name"}}]}}), one name a line; with {@code -o yaml|json},
 * the answer as the API gives it. MeshGateway is not a type kumactl inspects as a policy (Kuma's
 * {@code AllowToInspect} is false), so it has this command of its own.
 */
@Command(name = "meshgateway", description = "Inspect a MeshGateway: the Dataplanes it matches.")
final class InspectMeshGatewayCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "name of the MeshGateway")
    String name;

    @Option(names = {"-m", "--mesh"}, paramLabel = "MESH", defaultValue = "default",
            description = "mesh to use (default: ${DEFAULT-VALUE})")
    String mesh;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "output format: table (kumactl's list of names), yaml or json (default: ${DEFAULT-VALUE})")
    OutputFormat output;

    private final RootCommand root;

    InspectMeshGatewayCommand(RootCommand root) {
        this.root = requireNonNull(root, "root");
    }

    @Override
    public Integer call() {
        ApiResponse response = root.client().get(ResourcePaths.item(ResourceTypes.MESH_GATEWAY, mesh, name)
                + "/dataplanes");
        if (!response.isSuccess()) {
            throw new CtlException("failed to inspect " + Texts.describe(ResourceTypes.MESH_GATEWAY.name(), mesh,
                    name) + ": " + response.errorMessage());
        }
        JsonNode body = response.json();
        root.env().out().print(output == OutputFormat.TABLE ? render(body) : output.write(body));
        root.env().out().flush();
        return 0;
    }

    /** kumactl's text: the name of each matched Dataplane on a line of its own. */
    static String render(JsonNode body) {
        return JsonFields.elements(body, "items").stream()
                .map(item -> JsonFields.text(item, "dataplane", "name") + "\n")
                .collect(Collectors.joining());
    }
}
