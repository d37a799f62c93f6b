package io.ursa.ctl;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.ursa.api.resource.ResourceType;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code inspect <policy> NAME [-m MESH]}, one command per inspectable policy type, named by its CLI singular
 * ({@code inspect traffic-permission NAME}), as kumactl 2.0: the Dataplanes the policy hits and where, from
 * {@code GET /meshes/{mesh}/{ws}/{name}/dataplanes}, as kumactl's text ({@link AffectedDataplanesText}) or, with
 * {@code -o yaml|json}, as the API answers.
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

    private InspectPolicyCommand(RootCommand root, ResourceType<?> type) {
        this.root = requireNonNull(root, "root");
        this.type = requireNonNull(type, "type");
    }

    /** The command of {@code type}, named and described for it. */
    static CommandLine create(RootCommand root, ResourceType<?> type) {
        CommandLine command = new CommandLine(new InspectPolicyCommand(root, type));
        command.getCommandSpec().name(type.cliSingular());
        command.getCommandSpec().usageMessage().description("Inspect a " + type.name()
                + ": the Dataplanes it hits and where.");
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
        root.env().out().print(output == OutputFormat.TABLE ? AffectedDataplanesText.render(body) : output.write(body));
        root.env().out().flush();
        return 0;
    }
}
