package io.ursa.ctl;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code config}: manage the control planes ursactl talks to (spec §9). Holds no logic of its own. */
@Command(name = "config", description = "Manage the ursactl configuration.", synopsisSubcommandLabel = "COMMAND")
final class ConfigCommand {
    private ConfigCommand() {
    }

    /** The {@code config} command tree. */
    static CommandLine create(RootCommand root) {
        CommandLine controlPlanes = new CommandLine(new ControlPlanes())
                .addSubcommand(new AddControlPlaneCommand(root))
                .addSubcommand(new ListControlPlanesCommand(root))
                .addSubcommand(new RemoveControlPlaneCommand(root))
                .addSubcommand(new SwitchControlPlaneCommand(root));
        return new CommandLine(new ConfigCommand())
                .addSubcommand(controlPlanes)
                .addSubcommand(new ViewConfigCommand(root));
    }

    @Command(name = "control-planes", description = "Manage known control planes.",
            synopsisSubcommandLabel = "COMMAND")
    static final class ControlPlanes {
    }
}
