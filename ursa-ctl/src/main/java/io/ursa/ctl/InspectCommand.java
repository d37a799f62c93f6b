package io.ursa.ctl;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code inspect}: status views computed by the control plane (spec §9.4). Holds no logic of its own. */
@Command(name = "inspect", description = "Inspect resources and their status.", synopsisSubcommandLabel = "COMMAND")
final class InspectCommand {
    private InspectCommand() {
    }

    /** The {@code inspect} command tree. */
    static CommandLine create(RootCommand root) {
        return new CommandLine(new InspectCommand())
                .addSubcommand(new InspectMeshesCommand(root))
                .addSubcommand(new InspectDataplanesCommand(root))
                .addSubcommand(new InspectDataplaneCommand(root))
                .addSubcommand(new InspectZoneEgressesCommand(root));
    }
}
