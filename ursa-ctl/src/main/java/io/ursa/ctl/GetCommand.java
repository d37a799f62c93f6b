package io.ursa.ctl;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.ursa.api.resource.ResourceType;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code get <types>} lists, {@code get <type> NAME} shows one resource, for every type of the registry (spec
 * §9.2). Tables follow kumactl 2.0; {@code -o yaml|json} print the API's Universal JSON.
 */
@Command(name = "get", description = "Show resources: `get <types>` lists them, `get <type> NAME` shows one.")
final class GetCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "TYPE",
            description = "resource type, plural to list (meshes, dataplanes, traffic-routes, ...) "
                    + "or singular with a NAME (mesh, dataplane, traffic-route, ...)")
    String typeArgument;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "name of the resource to show")
    String name;

    @Option(names = {"-m", "--mesh"}, paramLabel = "MESH", defaultValue = "default",
            description = "mesh of mesh-scoped types (default: ${DEFAULT-VALUE})")
    String mesh;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "output format: table, yaml or json (default: ${DEFAULT-VALUE})")
    OutputFormat output;

    @Option(names = "--size", paramLabel = "N", description = "page size (0: the server's default)")
    int size;

    @Option(names = "--offset", paramLabel = "OFFSET", description = "where the page starts (from a previous page)")
    String offset;

    private final RootCommand root;

    GetCommand(RootCommand root) {
        this.root = requireNonNull(root, "root");
    }

    @Override
    public Integer call() {
        CtlEnvironment env = root.env();
        ResourceType<?> type = TypeArgument.forGet(env.types(), typeArgument);
        boolean plural = TypeArgument.isPlural(type, typeArgument);
        boolean singular = typeArgument.equals(type.cliSingular());
        if (name == null && !plural) {
            throw new CtlException("\"get " + typeArgument + "\" needs a NAME, e.g. ursactl get " + typeArgument
                    + " NAME (to list them: ursactl get " + type.cliPlural() + ")");
        }
        if (name != null && !singular) {
            throw new CtlException("\"get " + typeArgument + "\" lists resources and takes no NAME (to show one: "
                    + "ursactl get " + type.cliSingular() + " " + name + ")");
        }
        String meshName = type.isMeshScoped() ? mesh : "";
        String text = name != null ? showOne(type, meshName) : list(type, meshName);
        env.out().print(text);
        env.out().flush();
        return 0;
    }

    private String showOne(ResourceType<?> type, String meshName) {
        ApiResponse response = root.client().get(ResourcePaths.item(type, meshName, name));
        if (response.isNotFound()) {
            throw new CtlException("there is no " + type.name() + " with name " + Texts.quote(name));
        }
        if (!response.isSuccess()) {
            throw new CtlException(response.errorMessage());
        }
        JsonNode item = response.json();
        if (output == OutputFormat.TABLE) {
            return ResourceTables.render(type, List.of(item), root.env().clock().instant(), "");
        }
        return output.write(item);
    }

    private String list(ResourceType<?> type, String meshName) {
        ResourcePaths.Query query = new ResourcePaths.Query();
        if (size > 0) {
            query.add("size", Integer.toString(size));
        }
        if (offset != null && !offset.isEmpty()) {
            query.add("offset", offset);
        }
        ApiResponse response = root.client().get(query.appendTo(ResourcePaths.collection(type, meshName)));
        if (!response.isSuccess()) {
            throw new CtlException("failed to list " + type.name() + ": " + response.errorMessage());
        }
        JsonNode list = response.json();
        if (output == OutputFormat.TABLE) {
            return ResourceTables.render(type, JsonFields.elements(list, "items"), root.env().clock().instant(),
                    ResourceTables.pagingFooter(list));
        }
        return output.write(list);
    }
}
