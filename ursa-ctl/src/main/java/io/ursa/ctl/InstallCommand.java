package io.ursa.ctl;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code install}: set things up on the machine ursactl runs on (spec §9.6). Holds no logic of its own. */
@Command(name = "install", description = "Install various Ursa components.", synopsisSubcommandLabel = "COMMAND")
final class InstallCommand {
    private InstallCommand() {
    }

    /** The {@code install} command tree. */
    static CommandLine create(RootCommand root) {
        return new CommandLine(new InstallCommand())
                .addSubcommand(new InstallTransparentProxyCommand(root));
    }
}
