package io.ursa.ctl;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code version [--detailed]}: {@code Client: Ursa <version>}, then {@code Server: <tagline> <version>} from
 * {@code GET /}; {@code --detailed} adds the client's Java runtime and the server's host and instance id.
 * An unreachable control plane is reported on stderr without failing, as kumactl does.
 */
@Command(name = "version", description = "Print the client's and the control plane's versions.")
final class VersionCommand implements Callable<Integer> {
    static final String PRODUCT = "Ursa";

    @picocli.CommandLine.Option(names = {"-a", "--detailed"},
            description = "also print the client's Java runtime and the control plane's host and instance")
    boolean detailed;

    private final RootCommand root;

    VersionCommand(RootCommand root) {
        this.root = requireNonNull(root, "root");
    }

    @Override
    public Integer call() {
        root.env().out().println("Client: " + PRODUCT + " " + clientVersion()
                + (detailed ? " (Java " + Runtime.version() + ", " + System.getProperty("os.name") + ")" : ""));
        root.env().out().flush();
        try {
            ApiResponse response = root.client().get("/");
            if (!response.isSuccess()) {
                throw new CtlException(response.errorMessage());
            }
            JsonNode index = response.json();
            root.env().out().println("Server: " + JsonFields.text(index, "tagline") + " "
                    + JsonFields.text(index, "version") + (detailed ? " (host " + JsonFields.text(index, "hostname")
                    + ", instance " + JsonFields.text(index, "instanceId") + ")" : ""));
        } catch (CtlException e) {
            root.env().err().println("Unable to connect to control plane: " + e.getMessage());
        }
        root.env().out().flush();
        root.env().err().flush();
        return 0;
    }

    /** The version this jar was built as (from the build's filtered {@code build.properties}). */
    static String clientVersion() {
        Properties properties = new Properties();
        try (InputStream in = VersionCommand.class.getResourceAsStream("build.properties")) {
            if (in == null) {
                return "unknown";
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version", "unknown");
    }
}
