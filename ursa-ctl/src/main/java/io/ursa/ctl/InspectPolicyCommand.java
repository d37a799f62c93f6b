package io.ursa.ctl;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code inspect <policy> NAME [-m MESH]}, one command per inspectable policy type, named by its CLI singular
 * ({@code inspect traffic-permission NAME}), as kumactl 2.0: the Dataplanes the policy hits and where, from
 * {@code GET /meshes/{mesh}/{ws}/{name}/dataplanes}, as kumactl's text ({@link AffectedDataplanesText}) or, with
 * {@code -o yaml|json}, as the API answers. {@code inspect meshgateway NAME} is the same request with its own text
 * ({@link GatewayDataplanesText}): kumactl has it as a command of its own, MeshGateway not being a type it
 * inspects as a policy (Kuma's {@code AllowToInspect} is false).
 */
@Command(description = "Inspect a policy: the Dataplanes it hits and where.")
final class InspectPolicyCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "name of the policy")
    String name;

    @Option(names = {"-m", "--mesh"}, paramLabel = "MESH", defaultValue = "default",
            description = "mesh to use (default: ${DEFAULT-VALUE})")
    String mesh;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "output format: table (kumactl's text), yaml or json (default: ${DEFAULT-VALUE})")
    OutputFormat output;

    private final RootCommand root;
    private final ResourceType<?> type;
    private final Function<JsonNode, String> text;

    private InspectPolicyCommand(RootCommand root, ResourceType<?> type, Function<JsonNode, String> text) {
        this.root = requireNonNull(root, "root");
        this.type = requireNonNull(type, "type");
        this.text = requireNonNull(text, "text");
    }

    /** The command of the policy type {@code type}, named and described for it. */
    static CommandLine create(RootCommand root, ResourceType<?> type) {
        return create(root, type, AffectedDataplanesText::render,
                "Inspect a " + type.name() + ": the Dataplanes it hits and where.");
    }

    /** {@code inspect meshgateway NAME}: the Dataplanes the gateway matches. */
    static CommandLine createForMeshGateway(RootCommand root) {
        return create(root, ResourceTypes.MESH_GATEWAY, GatewayDataplanesText::render,
                "Inspect a MeshGateway: the Dataplanes it matches.");
    }

    private static CommandLine create(RootCommand root, ResourceType<?> type, Function<JsonNode, String> text,
                                      String description) {
        CommandLine command = new CommandLine(new InspectPolicyCommand(root, type, text));
        command.getCommandSpec().name(type.cliSingular());
        command.getCommandSpec().usageMessage().description(description);
        return command;
    }

    @Override
    public Integer call() {
        ApiResponse response = root.client().get("/meshes/" + ResourcePaths.segment(mesh) + "/" + type.wsPath()
                + "/" + ResourcePaths.segment(name) + "/dataplanes");
        if (!response.isSuccess()) {
            throw new CtlException("failed to inspect " + Texts.describe(type.name(), mesh, name) + ": "
                    + response.errorMessage());
        }
        JsonNode body = response.json();
        root.env().out().print(output == OutputFormat.TABLE ? text.apply(body) : output.write(body));
        root.env().out().flush();
        return 0;
    }
}
