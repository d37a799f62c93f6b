package io.ursa.ctl;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code generate}: things the control plane makes for users (spec §9.5). Holds no logic of its own. */
@Command(name = "generate", description = "Generate resources, tokens, etc.", synopsisSubcommandLabel = "COMMAND")
final class GenerateCommand {
    private GenerateCommand() {
    }

    /** The {@code generate} command tree. */
    static CommandLine create(RootCommand root) {
        return new CommandLine(new GenerateCommand())
                .addSubcommand(new GenerateDataplaneTokenCommand(root))
                .addSubcommand(new GenerateGrpcBootstrapCommand(root))
                .addSubcommand(new GenerateSigningKeyCommand(root))
                .addSubcommand(new GenerateTlsCertificateCommand(root))
                .addSubcommand(new GenerateUserTokenCommand(root))
                .addSubcommand(new GenerateZoneTokenCommand(root));
    }
}
