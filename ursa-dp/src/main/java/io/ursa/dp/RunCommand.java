package io.ursa.dp;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ursa-dp run}: kuma-dp's flags and environment variables (spec §10.1, {@code URSA_} instead of
 * {@code KUMA_}). Every input is checked here, before the control plane is contacted: a bad flag, definition,
 * token file or Envoy binary is one clear error and a non-zero exit.
 */
@Command(name = "run", sortOptions = false,
        description = "Launch the data plane proxy (Envoy): fetch its bootstrap from the control plane's DP server, "
                + "then run and supervise Envoy until stopped.")
final class RunCommand implements Callable<Integer> {
    /** The environment variable behind each flag, in help order. */
    static final Map<String, String> ENVIRONMENT = orderedMap(
            "--name", "URSA_DATAPLANE_NAME",
            "--mesh", "URSA_DATAPLANE_MESH",
            "--proxy-type", "URSA_DATAPLANE_PROXY_TYPE",
            "--cp-address", "URSA_CONTROL_PLANE_URL",
            "--ca-cert-file", "URSA_CONTROL_PLANE_CA_CERT_FILE",
            "--dataplane-token-file", "URSA_DATAPLANE_RUNTIME_TOKEN_PATH",
            "--dataplane-token", "URSA_DATAPLANE_RUNTIME_TOKEN",
            "--dataplane", "URSA_DATAPLANE_RUNTIME_RESOURCE",
            "--dataplane-file", "URSA_DATAPLANE_RUNTIME_RESOURCE_PATH",
            "--binary-path", "URSA_DATAPLANE_RUNTIME_BINARY_PATH",
            "--config-dir", "URSA_DATAPLANE_RUNTIME_CONFIG_DIR",
            "--concurrency", "URSA_DATAPLANE_RUNTIME_CONCURRENCY",
            "--drain-time", "URSA_DATAPLANE_DRAIN_TIME",
            "--envoy-log-level", "URSA_DATAPLANE_RUNTIME_ENVOY_LOG_LEVEL",
            "--xds-protocol", "URSA_DATAPLANE_RUNTIME_XDS_PROTOCOL",
            "--dns-enabled", "URSA_DNS_ENABLED",
            "--dns-coredns-port", "URSA_DNS_CORE_DNS_PORT",
            "--dns-envoy-port", "URSA_DNS_ENVOY_DNS_PORT",
            "--dns-coredns-empty-port", "URSA_DNS_CORE_DNS_EMPTY_PORT",
            "--dns-upstream", "URSA_DNS_UPSTREAM");
    static final String RETRY_BACKOFF = "URSA_CONTROL_PLANE_RETRY_BACKOFF";
    static final String RETRY_MAX_DURATION = "URSA_CONTROL_PLANE_RETRY_MAX_DURATION";
    static final String CA_CERT = ProxyIdentityOptions.CA_CERT;
    static final String MAX_MEMORY_BYTES = "URSA_DATAPLANE_RESOURCES_MAX_MEMORY_BYTES";
    /** The variables without a flag, with their help line, in help order. */
    static final Map<String, String> WITHOUT_FLAG = orderedMap(
            RETRY_BACKOFF, "wait between bootstrap tries (3s)",
            RETRY_MAX_DURATION, "give up bootstrapping after (5m)",
            CA_CERT, "CA PEM, wins over --ca-cert-file",
            MAX_MEMORY_BYTES, "memory limit to report");
    private static final Set<String> ENVOY_LOG_LEVELS =
            Set.of("trace", "debug", "info", "warning", "warn", "error", "critical", "off");
    private static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");

    @ParentCommand
    RootCommand root;

    @Mixin
    ProxyIdentityOptions proxyFlags = new ProxyIdentityOptions();

    @Option(names = "--proxy-type", paramLabel = "TYPE", defaultValue = "dataplane",
            converter = ProxyType.Converter.class,
            description = "type of the proxy: dataplane (a sidecar, or a gateway: its Dataplane says which), "
                    + "ingress or egress (default: ${DEFAULT-VALUE})")
    ProxyType proxyType;

    @Option(names = "--dataplane", paramLabel = "YAML",
            description = "Dataplane template to apply (YAML or JSON)")
    String dataplane;

    @Option(names = {"-d", "--dataplane-file"}, paramLabel = "FILE",
            description = "file with the Dataplane template to apply (YAML or JSON; - for stdin)")
    String dataplaneFile;

    @Option(names = "--binary-path", paramLabel = "PATH", defaultValue = "envoy",
            description = "the Envoy executable, a path or a name looked up on PATH (default: ${DEFAULT-VALUE})")
    String binaryPath;

    @Option(names = "--config-dir", paramLabel = "DIR",
            description = "directory for the generated Envoy configuration (default: a new temporary directory, "
                    + "removed at exit)")
    Path configDir;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "0",
            description = "number of Envoy worker threads (default: 0, Envoy's own choice)")
    int concurrency;

    @Option(names = "--drain-time", paramLabel = "DURATION", defaultValue = "30s",
            converter = Durations.Converter.class,
            description = "how long Envoy may drain connections when stopped (default: ${DEFAULT-VALUE})")
    Duration drainTime;

    @Option(names = "--envoy-log-level", paramLabel = "LEVEL", defaultValue = "",
            description = "Envoy log level: trace, debug, info, warning, error, critical or off "
                    + "(default: the --log-level of ursa-dp)")
    String envoyLogLevel;

    @Option(names = "--xds-protocol", paramLabel = "PROTOCOL", defaultValue = "",
            description = "how Envoy speaks ADS to the control plane: delta (incremental: a change sends only what it"
                    + " changed) or sotw (state of the world: every response holds all resources of its type)"
                    + " (default: the control plane's bootstrapServer.params.xdsProtocol)")
    String xdsProtocol;

    @Option(names = "--dns-enabled", paramLabel = "BOOL", arity = "0..1", defaultValue = "true",
            fallbackValue = "true",
            description = "run the DNS server of transparent proxying: it answers the mesh's names (<service>.mesh)"
                    + " with their virtual IPs and forwards other names to the system's DNS servers; only for a"
                    + " Dataplane with transparent proxying (default: ${DEFAULT-VALUE})")
    boolean dnsEnabled;

    @Option(names = "--dns-coredns-port", paramLabel = "PORT", defaultValue = "15053",
            description = "port of the DNS server on 127.0.0.1, where iptables redirects DNS queries "
                    + "(default: ${DEFAULT-VALUE})")
    int dnsServerPort;

    @Option(names = "--dns-envoy-port", paramLabel = "PORT", defaultValue = "15054",
            description = "port of Envoy's DNS filter, sent to the control plane (default: ${DEFAULT-VALUE})")
    int dnsEnvoyPort;

    @Option(names = "--dns-coredns-empty-port", paramLabel = "PORT", defaultValue = "15055",
            description = "port Envoy's DNS filter falls back to, sent to the control plane (default: ${DEFAULT-VALUE})")
    int dnsEmptyPort;

    @Option(names = "--dns-upstream", paramLabel = "HOST:PORT", split = ",",
            description = "DNS servers for the names outside the mesh, instead of the nameservers of /etc/resolv.conf "
                    + "(repeat or separate with commas)")
    List<String> dnsUpstreams;

    @Option(names = {"--dns-coredns-path", "--dns-coredns-config-template-path", "--dns-server-config-dir",
            "--dns-prometheus-port"}, paramLabel = "VALUE", hidden = true,
            description = "kuma-dp's CoreDNS settings: ignored, ursa-dp has a DNS server of its own")
    String corednsSetting;

    @Option(names = "--bootstrap-version", paramLabel = "VERSION", hidden = true,
            description = "deprecated and ignored (Envoy API v3 is always used)")
    String bootstrapVersion;

    private final DpEnvironment env;

    RunCommand(DpEnvironment env) {
        this.env = requireNonNull(env, "env");
    }

    @Override
    public Integer call() {
        Logger log = root.log();
        RunConfig config = configure(log);
        Agent agent = new Agent(config, env, log);
        env.shutdownHooks().onSignal(agent::stopOnSignal);
        return agent.run();
    }

    /** Checks every input and turns them into a {@link RunConfig}; a bad input is a {@link DpException}. */
    RunConfig configure(Logger log) {
        if (bootstrapVersion != null) {
            log.warning("--bootstrap-version is deprecated and ignored: Envoy API v3 is always used");
        }
        if (corednsSetting != null) {
            log.warning("kuma-dp's CoreDNS settings (--dns-coredns-path, --dns-coredns-config-template-path, "
                    + "--dns-server-config-dir, --dns-prometheus-port) are ignored: ursa-dp has a DNS server of its own");
        }
        RunConfig.ControlPlane controlPlane = new RunConfig.ControlPlane(proxyFlags.controlPlanes(env, log),
                retryPolicy());
        if (drainTime.isZero()) {
            throw new DpException("invalid --drain-time: 0s (expected: a positive duration, e.g. 30s)");
        }
        if (concurrency < 0) {
            throw new DpException("invalid --concurrency: " + concurrency + " (expected: 0 or more)");
        }
        String envoyLevel = envoyLogLevel.isEmpty() ? root.logLevel().envoyName()
                : envoyLogLevel.toLowerCase(Locale.ROOT);
        if (!ENVOY_LOG_LEVELS.contains(envoyLevel)) {
            throw new DpException("invalid --envoy-log-level: \"" + envoyLogLevel
                    + "\" (expected: trace, debug, info, warning, error, critical or off)");
        }
        String protocol = xdsProtocol.strip().toLowerCase(Locale.ROOT);
        if (!protocol.isEmpty() && !protocol.equals("delta") && !protocol.equals("sotw")) {
            throw new DpException("invalid --xds-protocol: \"" + xdsProtocol + "\" (expected: delta or sotw)");
        }
        RunConfig.Proxy proxy = proxy();
        RunConfig.Envoy envoy = new RunConfig.Envoy(EnvoyBinary.resolve(binaryPath, env.variables()),
                Optional.ofNullable(configDir), drainTime, concurrency, envoyLevel, RestartPolicy.DEFAULT,
                protocol.isEmpty() ? Optional.empty() : Optional.of(protocol));
        return new RunConfig(controlPlane, proxy, envoy, dns());
    }

    private RunConfig.Dns dns() {
        if (!dnsEnabled) {
            return RunConfig.Dns.DISABLED;
        }
        checkPort("--dns-coredns-port", dnsServerPort);
        checkPort("--dns-envoy-port", dnsEnvoyPort);
        checkPort("--dns-coredns-empty-port", dnsEmptyPort);
        if (dnsEnvoyPort == dnsServerPort) {
            throw new DpException("invalid --dns-envoy-port: " + dnsEnvoyPort + " (expected: a port other than "
                    + "--dns-coredns-port)");
        }
        if (dnsEmptyPort == dnsServerPort || dnsEmptyPort == dnsEnvoyPort) {
            throw new DpException("invalid --dns-coredns-empty-port: " + dnsEmptyPort + " (expected: a port other "
                    + "than --dns-coredns-port and --dns-envoy-port)");
        }
        List<InetSocketAddress> upstreams = new ArrayList<>();
        for (String upstream : dnsUpstreams == null ? List.<String>of() : dnsUpstreams) {
            upstreams.add(HostPort.parse(upstream.strip(), "--dns-upstream", ResolvConf.DNS_PORT));
        }
        return new RunConfig.Dns(true, dnsServerPort, dnsEnvoyPort, dnsEmptyPort, upstreams, Backoff.DEFAULT);
    }

    private static void checkPort(String flag, int port) {
        if (port < 1 || port > 65535) {
            throw new DpException("invalid " + flag + ": " + port + " (expected: 1-65535)");
        }
    }

    private RunConfig.Proxy proxy() {
        Optional<DataplaneDefinition> definition = definition();
        ProxyIdentityOptions.Identity identity = proxyFlags.identify(definition, proxyType.needsMesh());
        return new RunConfig.Proxy(proxyType, identity.mesh(), identity.name(), definition, proxyFlags.token(),
                maxMemoryBytes());
    }

    private Optional<DataplaneDefinition> definition() {
        boolean inline = dataplane != null && !dataplane.isEmpty();
        boolean file = dataplaneFile != null && !dataplaneFile.isEmpty();
        if (inline && file) {
            throw new DpException("--dataplane and --dataplane-file cannot be used together (expected: one "
                    + "dataplane definition)");
        }
        if (!inline && !file) {
            return Optional.empty();
        }
        String source = inline ? "--dataplane" : dataplaneFile.equals("-") ? "stdin" : dataplaneFile;
        String text = inline ? dataplane : DataplaneDefinition.read(dataplaneFile, env.in());
        return Optional.of(DataplaneDefinition.load(text, source, proxyFlags.dataplaneVars, proxyType, env.codec()));
    }

    private RetryPolicy retryPolicy() {
        Duration backoff = envDuration(RETRY_BACKOFF, RetryPolicy.DEFAULT.backoff());
        Duration maxDuration = envDuration(RETRY_MAX_DURATION, RetryPolicy.DEFAULT.maxDuration());
        try {
            return new RetryPolicy(backoff, maxDuration);
        } catch (IllegalArgumentException e) {
            throw new DpException(e.getMessage() + " (" + RETRY_BACKOFF + ", " + RETRY_MAX_DURATION + ")");
        }
    }

    private Duration envDuration(String variable, Duration fallback) {
        Optional<String> value = env.variable(variable);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            return Durations.parse(value.get());
        } catch (IllegalArgumentException e) {
            throw new DpException("invalid " + variable + ": " + e.getMessage());
        }
    }

    private long maxMemoryBytes() {
        Optional<String> value = env.variable(MAX_MEMORY_BYTES);
        if (value.isEmpty()) {
            return MemoryLimit.detect(CGROUP_ROOT);
        }
        try {
            long bytes = Long.parseLong(value.get());
            if (bytes < 0) {
                throw new NumberFormatException();
            }
            return bytes;
        } catch (NumberFormatException e) {
            throw new DpException("invalid " + MAX_MEMORY_BYTES + ": \"" + value.get()
                    + "\" (expected: a number of bytes, 0 or more)");
        }
    }

    /** The "Environment variables" part of {@code run --help}. */
    static String environmentHelp() {
        Map<String, String> rows = new LinkedHashMap<>(ENVIRONMENT);
        rows.putAll(WITHOUT_FLAG);
        StringBuilder help = new StringBuilder("%nEnvironment variables (a flag wins over its variable):%n");
        rows.forEach((key, value) -> {
            boolean isFlag = key.startsWith("--");
            help.append(String.format("  %-42s %s%%n", isFlag ? value : key, isFlag ? key : value));
        });
        return help.toString();
    }

    private static Map<String, String> orderedMap(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }
}
