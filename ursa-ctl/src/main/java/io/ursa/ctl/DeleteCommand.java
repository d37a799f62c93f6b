package io.ursa.ctl;

import static java.util.Objects.requireNonNull;

import io.ursa.api.resource.ResourceType;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code delete <type> NAME [-m MESH]} (spec §9.3). */
@Command(name = "delete", description = "Delete a resource, e.g. `delete mesh demo`.")
final class DeleteCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "TYPE", description = "resource type (mesh, dataplane, traffic-route, ...)")
    String typeArgument;

    @Parameters(index = "1", paramLabel = "NAME", description = "name of the resource")
    String name;

    @Option(names = {"-m", "--mesh"}, paramLabel = "MESH", defaultValue = "default",
            description = "mesh of mesh-scoped types (default: ${DEFAULT-VALUE})")
    String mesh;

    private final RootCommand root;

    DeleteCommand(RootCommand root) {
        this.root = requireNonNull(root, "root");
    }

    @Override
    public Integer call() {
        ResourceType<?> type = TypeArgument.forDelete(root.env().types(), typeArgument);
        String meshName = type.isMeshScoped() ? mesh : "";
        ApiResponse response = root.client().delete(ResourcePaths.item(type, meshName, name));
        if (response.isNotFound()) {
            throw new CtlException("there is no " + type.name() + " with name " + Texts.quote(name));
        }
        if (!response.isSuccess()) {
            throw new CtlException("failed to delete " + type.name() + " with the name " + Texts.quote(name) + ": "
                    + response.errorMessage());
        }
        root.env().out().println("deleted " + type.name() + " " + Texts.quote(name));
        root.env().out().flush();
        return 0;
    }
}
