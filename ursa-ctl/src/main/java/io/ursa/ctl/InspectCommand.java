package io.ursa.ctl;

import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code inspect}: status views computed by the control plane (spec §9.4). Holds no logic of its own. */
@Command(name = "inspect", description = "Inspect resources and their status.", synopsisSubcommandLabel = "COMMAND")
final class InspectCommand {
    private InspectCommand() {
    }

    /**
     * The {@code inspect} command tree: the status views, {@code meshgateway}, then one command per inspectable
     * policy type.
     */
    static CommandLine create(RootCommand root) {
        CommandLine inspect = new CommandLine(new InspectCommand())
                .addSubcommand(new InspectMeshesCommand(root))
                .addSubcommand(new InspectDataplanesCommand(root))
                .addSubcommand(new InspectDataplaneCommand(root))
                .addSubcommand(new InspectServicesCommand(root))
                .addSubcommand(new InspectZoneEgressesCommand(root))
                .addSubcommand(ResourceTypes.MESH_GATEWAY.cliSingular(),
                        InspectPolicyCommand.createForMeshGateway(root))
                .addSubcommand(new InspectControlPlanesCommand(root));
        for (ResourceType<?> type : root.env().types().inspectable()) {
            inspect.addSubcommand(type.cliSingular(), InspectPolicyCommand.create(root, type));
        }
        return inspect;
    }
}
