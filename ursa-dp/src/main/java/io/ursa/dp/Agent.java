package io.ursa.dp;

import static java.util.Objects.requireNonNull;

import io.envoyproxy.envoy.config.core.v3.Node;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * One {@code ursa-dp run}: ask Envoy for its version, fetch the bootstrap from the control plane, write it to
 * {@code <config-dir>/bootstrap.yaml}, start forwarding the access logs of tcp logging backends
 * ({@link AccessLogForwarder}) and, for transparent proxying, the DNS server ({@link DnsServer}, its table kept by
 * {@link DnsTableAgent}), then supervise Envoy until it is stopped or gives up; the DNS server stops with Envoy.
 *
 * <p>Threads: {@link #run()} runs on the main thread; {@link #stopOnSignal()} runs on the shutdown-hook thread.
 * {@code supervisor} is guarded by {@code lock}, so a stop either finds the supervisor or keeps it from starting.
 */
final class Agent {
    static final Duration ENVOY_VERSION_TIMEOUT = Duration.ofSeconds(10);
    /** How long a stop waits for {@link #run()} to finish after Envoy is down (an in-flight bootstrap request). */
    private static final Duration FINISH_TIMEOUT = BootstrapClient.REQUEST_TIMEOUT.plusSeconds(5);
    static final String BOOTSTRAP_FILE = "bootstrap.yaml";

    private final RunConfig config;
    private final DpEnvironment env;
    private final Logger log;
    private final StopSignal stop = new StopSignal();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Object lock = new Object();
    private EnvoySupervisor supervisor; // guarded by lock
    private volatile int exitCode = UrsaDp.ERROR;

    Agent(RunConfig config, DpEnvironment env, Logger log) {
        this.config = requireNonNull(config, "config");
        this.env = requireNonNull(env, "env");
        this.log = requireNonNull(log, "log");
    }

    /** Runs until Envoy is stopped (0, or 1 when it had to be killed) or fails; failures are {@link DpException}s. */
    int run() {
        RunConfig.Proxy proxy = config.proxy();
        RunConfig.Envoy envoy = config.envoy();
        Optional<Path> tempDir = Optional.empty();
        log.info("starting " + env.build().product() + " data plane agent " + env.build().version() + " for "
                + proxy.type() + " " + describeProxy(proxy) + ", control plane "
                + config.controlPlane().addresses().describe());
        try {
            EnvoyVersion version = EnvoyBinary.version(envoy.binary(), ENVOY_VERSION_TIMEOUT);
            log.info("Envoy " + version.version() + " at " + envoy.binary());
            if (!version.compatible()) {
                log.warning("Envoy " + version.version() + " is not the version this agent is built for (expected: "
                        + EnvoyVersion.SUPPORTED_LINE + ".x); the control plane may not support it");
            }
            Path configDir;
            if (envoy.configDir().isPresent()) {
                configDir = Files.createDirectories(envoy.configDir().get());
            } else {
                configDir = Files.createTempDirectory("ursa-dp-");
                tempDir = Optional.of(configDir);
                log.info("the generated configuration goes to a temporary directory: " + configDir);
            }
            // caCert is left to the client: the CA that verified the server, known once it is reached
            boolean dnsPorts = config.dns().enabled() && proxy.type().isSidecar();
            BootstrapRequest request = new BootstrapRequest(proxy.mesh(), proxy.name(), proxy.type(),
                    proxy.token().value(), proxy.token().pathFor(configDir).map(Path::toString),
                    proxy.definition().map(DataplaneDefinition::json), env.build(), version,
                    "", env.operatingSystem(), proxy.maxMemoryBytes(), dnsPorts
                    ? Optional.of(new BootstrapRequest.DnsPorts(config.dns().envoyPort(), config.dns().emptyPort()))
                    : Optional.empty())
                    .withControlPlaneAddresses(config.controlPlane().addresses().origins())
                    .withXdsProtocol(config.envoy().xdsProtocol());
            Optional<BootstrapResponse> response = bootstrapClient().fetch(request);
            if (response.isEmpty()) {
                log.info("stopped before Envoy was started");
                return finish(0);
            }
            Path bootstrapFile = configDir.resolve(BOOTSTRAP_FILE);
            PrivateFiles.write(bootstrapFile, response.get().bootstrapYaml());
            OptionalInt adminPort = response.get().adminPort();
            log.info("received the bootstrap configuration" + (adminPort.isPresent()
                    ? " (Envoy admin port " + adminPort.getAsInt() + ")" : "") + "; saved it to " + bootstrapFile);
            log.fine("kumaSidecarConfiguration: " + response.get().sidecarConfiguration());
            Optional<AccessLogForwarder> accessLogs = startAccessLogForwarder(proxy);
            Optional<MetricsHijacker> metrics = startMetricsHijacker(proxy, response.get());
            try (Dns dns = startDns(proxy, response.get())) {
                return finish(supervise(new EnvoyLaunch(envoy.binary(), bootstrapFile, envoy.drainTime(),
                        envoy.concurrency(), envoy.logLevel(), env.operatingSystem())));
            } finally {
                accessLogs.ifPresent(AccessLogForwarder::close);
                metrics.ifPresent(MetricsHijacker::close);
            }
        } catch (IOException e) {
            throw new DpException("could not write the Envoy configuration: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DpException("interrupted");
        } finally {
            tempDir.ifPresent(this::delete);
            finished.countDown();
        }
    }

    /**
     * Creates the pipe Envoy writes the access logs of tcp logging backends to, and forwards them, before Envoy
     * starts (Envoy opens it when it gets a listener that logs). Without it the proxy still runs, but those logs are
     * lost, so a failure is a warning.
     */
    private Optional<AccessLogForwarder> startAccessLogForwarder(RunConfig.Proxy proxy) throws InterruptedException {
        Path pipe = AccessLogForwarder.pipe(env.pipeDir(), proxy.name(), proxy.mesh());
        try {
            return Optional.of(AccessLogForwarder.start(pipe, log));
        } catch (IOException e) {
            log.warning("access logs of tcp logging backends will not be forwarded: " + e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Serves the proxy's metrics where the control plane routes its Prometheus listener ({@link MetricsHijacker}),
     * when the bootstrap gives Envoy an admin port to read statistics from, for a sidecar only: a zone egress belongs
     * to no mesh, so no Prometheus listener routes to it (kuma-dp 2.0 starts its metrics server for every proxy type,
     * one nothing reaches for a zone proxy). Without it the proxy still runs, but scrapes fail, so a failure is a
     * warning.
     */
    private Optional<MetricsHijacker> startMetricsHijacker(RunConfig.Proxy proxy, BootstrapResponse response) {
        OptionalInt adminPort = response.adminPort();
        if (adminPort.isEmpty() || !proxy.type().isSidecar()) {
            return Optional.empty();
        }
        Path socket = MetricsHijacker.socket(env.pipeDir(), proxy.name(), proxy.mesh());
        try {
            return Optional.of(MetricsHijacker.start(socket, MetricsHijacker.Target.envoyAdmin(
                    response.adminAddress(), adminPort.getAsInt()), response.aggregates(),
                    response.usesTransparentProxy(), log));
        } catch (IOException e) {
            log.warning("the proxy's metrics will not be served on " + socket + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Starts the DNS server of transparent proxying and the stream that keeps its table, when DNS is enabled and the
     * Dataplane uses transparent proxying (without it no query is redirected to the server, so it is not started;
     * zone proxies never get one, as in kuma-dp). A port that is taken ends the agent: the applications' names
     * would silently stop resolving otherwise.
     */
    private Dns startDns(RunConfig.Proxy proxy, BootstrapResponse response) {
        RunConfig.Dns dns = config.dns();
        if (!dns.enabled() || !proxy.type().isSidecar()) {
            return Dns.NONE;
        }
        if (!response.usesTransparentProxy()) {
            log.info("running without the DNS server: the Dataplane does not use transparent proxying");
            return Dns.NONE;
        }
        List<InetSocketAddress> upstreams = dns.upstreams();
        if (upstreams.isEmpty()) {
            try {
                upstreams = ResolvConf.nameservers(ResolvConf.SYSTEM);
            } catch (IOException e) {
                log.warning("could not read the DNS servers of " + ResolvConf.SYSTEM + ": " + e.getMessage());
            }
        }
        // Envoy's node, parsed before the server starts (it may fail); the user agent tells this stream from Envoy's
        Node.Builder node = BootstrapNode.parse(response.bootstrapYaml()).toBuilder()
                .setUserAgentName(CertificateAgent.USER_AGENT_NAME);
        if (!env.build().version().equals(BuildInfo.UNKNOWN)) {
            node.setUserAgentVersion(env.build().version());
        }
        DnsServer server;
        try {
            server = DnsServer.startOnLoopback(dns.serverPort(), upstreams, log);
        } catch (IOException e) {
            throw new DpException("could not listen for DNS on 127.0.0.1:" + dns.serverPort() + ": "
                    + e.getMessage() + " (choose another port with --dns-coredns-port, or run without DNS with "
                    + "--dns-enabled=false)");
        }
        RunConfig.ControlPlane cp = config.controlPlane();
        DnsTableAgent.Settings settings = new DnsTableAgent.Settings(cp.addresses(), proxy.token().value(),
                node.build(), CertificateAgent.USER_AGENT_NAME + "/" + env.build().version(), dns.tableBackoff(),
                env.random().nextInt(cp.addresses().size()));
        return new Dns(Optional.of(server), Optional.of(DnsTableAgent.start(settings, server, env.sleeper(), log)));
    }

    /** The DNS server and its table agent, when running; closing stops both. */
    private record Dns(Optional<DnsServer> server, Optional<DnsTableAgent> tableAgent) implements AutoCloseable {
        static final Dns NONE = new Dns(Optional.empty(), Optional.empty());

        @Override
        public void close() {
            tableAgent.ifPresent(DnsTableAgent::close);
            server.ifPresent(DnsServer::close);
        }
    }

    private int supervise(EnvoyLaunch launch) throws InterruptedException {
        EnvoySupervisor started;
        synchronized (lock) {
            if (stop.isRequested()) {
                log.info("stopped before Envoy was started");
                return 0;
            }
            started = new EnvoySupervisor(launch, config.envoy().restart(), env.clock(), env.sleeper(), log);
            started.start();
            supervisor = started;
        }
        EnvoySupervisor.Outcome outcome = started.awaitExit();
        switch (outcome) {
            case STOPPED -> {
                log.info("stopped");
                return 0;
            }
            case KILLED -> {
                log.severe("stopped, but Envoy had to be killed");
                return UrsaDp.ERROR;
            }
            default -> throw new DpException(started.failure());
        }
    }

    /**
     * Stops the agent from a SIGTERM/SIGINT: ends the bootstrap retries or stops Envoy (SIGTERM, drain time,
     * SIGKILL), then waits for {@link #run()} to clean up. Returns the exit code, or -1 when the agent had already
     * finished by itself.
     */
    int stopOnSignal() {
        if (finished.getCount() == 0) {
            return -1;
        }
        log.info("caught a stop signal, stopping");
        EnvoySupervisor running;
        synchronized (lock) {
            stop.request();
            running = supervisor;
        }
        try {
            if (running != null) {
                running.stop();
            }
            if (!finished.await(FINISH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warning("the agent did not finish within " + Durations.format(FINISH_TIMEOUT) + " of the stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return exitCode;
    }

    private int finish(int code) {
        exitCode = code;
        return code;
    }

    private BootstrapClient bootstrapClient() {
        RunConfig.ControlPlane cp = config.controlPlane();
        // a random first instance, so that proxies spread over the control plane's instances
        int first = env.random().nextInt(cp.addresses().size());
        return new BootstrapClient(cp.addresses(), first, cp.retry(), env.clock(), env.sleeper(), stop, log);
    }

    private static String describeProxy(RunConfig.Proxy proxy) {
        return proxy.mesh().isEmpty() ? "\"" + proxy.name() + "\""
                : "\"" + proxy.name() + "\" in mesh \"" + proxy.mesh() + "\"";
    }

    private void delete(Path dir) {
        try {
            PrivateFiles.deleteTree(dir);
        } catch (IOException e) {
            log.warning("could not remove the temporary directory " + dir + ": " + e.getMessage());
        }
    }
}
