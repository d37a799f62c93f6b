package io.ursa.ctl;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code ursactl} and its global options, which every subcommand inherits (they may be given before or after
 * the subcommand, as with kumactl). Subcommands reach the configuration and the control plane through it.
 */
@Command(name = "ursactl", description = "Management tool for Ursa, a Kuma-compatible service mesh control plane.",
        synopsisSubcommandLabel = "COMMAND")
final class RootCommand {
    @Option(names = "--config-file", paramLabel = "PATH", scope = ScopeType.INHERIT,
            description = "path to the configuration file to use (default: ~/.ursactl/config)")
    Path configFile;

    @Option(names = "--no-config", scope = ScopeType.INHERIT,
            description = "if set, no configuration file is read or written: the control plane is "
                    + CtlConfig.DEFAULT_URL + " and commands that change the configuration are refused")
    boolean noConfig;

    @Option(names = "--api-timeout", paramLabel = "DURATION", scope = ScopeType.INHERIT, defaultValue = "1m",
            converter = Durations.Converter.class,
            description = "the timeout for API calls, e.g. 30s or 1m (0 means no timeout; default: ${DEFAULT-VALUE})")
    Duration apiTimeout;

    @Option(names = "--log-level", paramLabel = "LEVEL", scope = ScopeType.INHERIT, defaultValue = "off",
            description = "log level: off, info or debug (default: ${DEFAULT-VALUE})")
    LogLevel logLevel;

    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "show this help")
    boolean help;

    private final CtlEnvironment env;
    /** Whether the {@code --config-file} ignored by {@code --no-config} was warned about (once per run). */
    private boolean ignoredConfigFileSaid;

    RootCommand(CtlEnvironment env) {
        this.env = requireNonNull(env, "env");
    }

    CtlEnvironment env() {
        return env;
    }

    /**
     * The configuration to read: the file's, or with {@code --no-config} (kumactl's flag) the defaults, one control
     * plane {@code local} at {@value CtlConfig#DEFAULT_URL}, without touching any file.
     */
    CtlConfig config() {
        if (noConfig) {
            if (configFile != null && !ignoredConfigFileSaid) {
                ignoredConfigFileSaid = true;
                warn("--config-file " + configFile + " is not read: --no-config uses no configuration file");
            }
            return CtlConfig.defaults();
        }
        return configFile().load();
    }

    /**
     * The configuration file, for the commands that change it ({@code command} names one in the refusal); its
     * warnings go to stderr. With {@code --no-config} there is none to change, which is a usage error.
     */
    ConfigFile configFile(String command) {
        if (noConfig) {
            throw new UsageException("ursactl " + command + " changes the configuration file, which --no-config"
                    + " leaves alone (expected: the command without --no-config)");
        }
        return configFile();
    }

    private ConfigFile configFile() {
        return new ConfigFile(configFile != null ? configFile : env.defaultConfigFile(), this::warn);
    }

    /** {@code warning: <line>} on stderr. */
    void warn(String line) {
        env.err().println("warning: " + line);
        env.err().flush();
    }

    /** A client of the current context's control plane. */
    ControlPlaneClient client() {
        CtlConfig config = config();
        CtlConfig.ControlPlane cp = config.currentControlPlane().orElseThrow(() -> new CtlException(
                "there is no active Control Plane. Use `ursactl config control-planes add` to add one"));
        return client(parseAddress(cp.url()), cp);
    }

    /**
     * A client of {@code cp} at {@code address} with its TLS and token settings, honouring the global timeout and
     * log level. With {@code --log-level debug} it says when the certificate is not checked ({@code skipVerify}).
     */
    ControlPlaneClient client(URI address, CtlConfig.ControlPlane cp) {
        CtlConfig.ApiServer settings = cp.apiServer();
        if (settings.skipVerify()) {
            debugLog().accept("the certificate of control plane " + Texts.quote(cp.name()) + " is not checked"
                    + " (skipVerify): anyone on the path to " + address.getHost() + " can read and change this"
                    + " traffic, token included");
        }
        if (!settings.clientCertFile().isEmpty() || !settings.clientKeyFile().isEmpty()) {
            warn("control plane " + Texts.quote(cp.name()) + " has clientCertFile/clientKeyFile, which ursactl does"
                    + " not present: Ursa's API authenticates users by token (--auth-type tokens)");
        }
        return new ControlPlaneClient(cp.name(), address, settings, apiTimeout, debugLog());
    }

    Consumer<String> debugLog() {
        if (logLevel != LogLevel.DEBUG) {
            return line -> { };
        }
        return line -> {
            env.err().println("debug: " + line);
            env.err().flush();
        };
    }

    /** An absolute {@code http(s)://host[:port][/path]} URL. */
    static URI parseAddress(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (java.net.URISyntaxException e) {
            throw new CtlException("API Server URL is invalid: " + Texts.quote(text) + " (" + e.getReason()
                    + "; expected: e.g. http://localhost:5681)");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new CtlException("API Server URL is invalid: " + Texts.quote(text)
                    + " (expected: http:// or https:// and a host, e.g. http://localhost:5681)");
        }
        return uri;
    }
}
