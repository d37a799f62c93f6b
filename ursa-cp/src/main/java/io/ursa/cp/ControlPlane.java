package io.ursa.cp;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.apiserver.ApiServer;
import io.ursa.apiserver.DataplaneInsights;
import io.ursa.ca.CaPlugins;
import io.ursa.ca.controlplane.ControlPlaneCertificates;
import io.ursa.core.ca.CaPlugin;
import io.ursa.core.cluster.Cluster;
import io.ursa.core.cluster.ProxyConnections;
import io.ursa.core.config.ConfigLoader;
import io.ursa.core.manager.DefaultAccess;
import io.ursa.core.manager.DefaultMesh;
import io.ursa.core.manager.ResourceManager;
import io.ursa.core.store.ResourceStore;
import io.ursa.core.tokens.UserTokens;
import io.ursa.core.tokens.ZoneTokens;
import io.ursa.cp.config.CpConfig;
import io.ursa.cp.config.CpConfigLoader;
import io.ursa.cp.diagnostics.ApiMetrics;
import io.ursa.cp.diagnostics.DiagnosticsServer;
import io.ursa.cp.diagnostics.StoreMetrics;
import io.ursa.xds.server.XdsServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: reads the configuration, opens the store, wires the manager, creates the default access
 * resources, the user-token signing key, the admin token and the default mesh, loads or creates the control
 * plane's TLS certificate, starts the xDS server (DP server), the REST API ({@link ApiWiring}) and the diagnostics
 * server. Everything is wired by hand here; nothing else knows how the
 * parts fit. Closing stops them in reverse order.
 */
public final class ControlPlane implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlPlane.class);

    /** Something the control plane needs is not available (a port in use, a store it cannot open). */
    public static final class StartupException extends RuntimeException {
        StartupException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final CpConfig config;
    private final ResourceStore store;
    private final ResourceManager manager;
    private final ApiServer apiServer;
    private final XdsServer xdsServer;
    private final DiagnosticsServer diagnostics;
    private final Deque<AutoCloseable> closeables;
    private final AtomicBoolean ready;
    private final ControlPlaneCertificates.Material certificate;
    private final ControlPlaneCertificates.Material dpCertificate;

    private ControlPlane(CpConfig config, ResourceStore store, ResourceManager manager, ApiServer apiServer,
                         XdsServer xdsServer, DiagnosticsServer diagnostics, Deque<AutoCloseable> closeables,
                         AtomicBoolean ready, ControlPlaneCertificates.Material certificate,
                         ControlPlaneCertificates.Material dpCertificate) {
        this.certificate = certificate;
        this.dpCertificate = dpCertificate;
        this.xdsServer = xdsServer;
        this.config = config;
        this.store = store;
        this.manager = manager;
        this.apiServer = apiServer;
        this.diagnostics = diagnostics;
        this.closeables = closeables;
        this.ready = ready;
    }

    public static ControlPlane start(Path configFile, Map<String, String> env) {
        long started = System.nanoTime();
        ConfigLoader.Loaded<CpConfig> loaded = CpConfigLoader.load(configFile, env);
        loaded.unknownEnv().forEach(name -> log.warn(loaded.unknownEnvWarning(name)));
        loaded.kumaAliases().forEach(name -> log.info(loaded.kumaAliasNotice(name)));
        if (!loaded.appliedEnv().isEmpty()) {
            log.info("configuration overridden by {}", loaded.appliedEnv());
        }
        CpConfig config = loaded.config();
        LogLevel.apply(config.logging().level());
        Deque<AutoCloseable> closeables = new ArrayDeque<>();
        AtomicBoolean ready = new AtomicBoolean();
        try {
            PortCheck.requireFree(PortCheck.of(config));
            ResourceTypes types = ResourceTypes.standard();
            ResourceCodec codec = new ResourceCodec(types);
            // before the store: the PostgreSQL store tells its notifications from other control planes' by it
            String instanceId = UUID.randomUUID().toString();
            ResourceStore store = StoreWiring.open(config.store(), types, instanceId);
            closeables.push(store);
            log.info("store: {}", store.describe());

            Cluster cluster = StoreWiring.cluster(config.store(), instanceId);
            closeables.push(cluster);
            // shared in the database with PostgreSQL; in this process when it holds its store alone
            ProxyConnections proxyConnections = StoreWiring.proxyConnections(store, types);

            List<CaPlugin> caPlugins = CaPlugins.standard();
            ResourceManager manager = ResourceManager.create(store, Clock.systemUTC(), caPlugins);
            closeables.push(LeaderDuties.start(cluster, () -> ensureDefaults(config, manager, codec)));

            ControlPlaneCertificates.Material certificate = TlsWiring.general(config, manager, Clock.systemUTC());
            ControlPlaneCertificates.Material dpCertificate = TlsWiring.dpServer(config, certificate);

            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            bindJvmMetrics(registry);
            StoreMetrics.bind(registry, store, types);

            XdsServer xds = XdsServer.start(manager, types, XdsWiring.config(config,
                    TlsWiring.dpTransport(config, dpCertificate)), XdsWiring.authenticator(config, manager),
                    cluster, proxyConnections, Clock.systemUTC());
            closeables.push(xds);
            XdsWiring.bindMetrics(registry, xds);

            ApiServer api = new ApiServer(manager, types, ApiWiring.config(config, certificate, dpCertificate),
                    () -> StoreWiring.masked(loaded.tree()),
                    Version.current(), cluster, xds::insightOf, XdsWiring.inspector(xds), caPlugins,
                    Clock.systemUTC(), new ApiMetrics(registry));
            api.start();
            closeables.push(api);

            DiagnosticsServer diagnostics = DiagnosticsServer.start("0.0.0.0",
                    config.diagnostics().serverPort(),
                    () -> ready.get() ? cluster.problem().or(store::problem) : Optional.of("starting or stopping"),
                    registry);
            closeables.push(diagnostics);

            ready.set(true);
            api.addresses().forEach(address -> log.info("API {}", address));
            log.info("Ursa control plane {} ready in {} ms: API {}, DP server {}://{}:{}, diagnostics :{}",
                    Version.current(), Duration.ofNanos(System.nanoTime() - started).toMillis(), api.addresses(),
                    config.dpServer().plaintext() ? "http" : "https", config.dpServer().iface(), xds.port(),
                    diagnostics.port());
            return new ControlPlane(config, store, manager, api, xds, diagnostics, closeables, ready, certificate,
                    dpCertificate);
        } catch (IOException | RuntimeException e) {
            closeAll(closeables);
            if (e instanceof StartupException se) {
                throw se;
            }
            throw new StartupException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
    }

    /**
     * What a fresh cluster needs and its leader creates, each exactly once however many instances start together:
     * the default access resources, the token signing keys (and the admin token) and the mesh {@code default}.
     */
    private static void ensureDefaults(CpConfig config, ResourceManager manager, ResourceCodec codec) {
        DefaultAccess.ensure(manager);
        bootstrapUserTokens(config, manager);
        bootstrapZoneTokens(manager);
        if (config.defaults().skipMeshCreation()) {
            log.info("not creating the default mesh (defaults.skipMeshCreation=true)");
        } else if (DefaultMesh.ensure(manager, codec)) {
            log.info("created the default mesh \"{}\"", DefaultMesh.NAME);
        }
    }

    /**
     * User tokens need a signing key, created when there is none; with
     * {@code apiServer.authn.tokens.bootstrapAdminToken} the admin's token is kept in the GlobalSecret
     * {@code admin-user-token}, created when absent. The token itself is never logged.
     */
    private static void bootstrapUserTokens(CpConfig config, ResourceManager manager) {
        if (UserTokens.ensureSigningKey(manager)) {
            log.info("created the user-token signing key (global secret {})", UserTokens.signingKeyName(1));
        }
        if (config.apiServer().authn().tokens().bootstrapAdminToken()
                && UserTokens.ensureAdminToken(manager, Clock.systemUTC())) {
            log.info("created the admin user token: read it from this host with"
                    + " `ursactl get global-secret {}`", UserTokens.ADMIN_TOKEN);
        }
    }

    /**
     * Zone tokens, which let zone egresses in, need a signing key, created at every start when there is none (as
     * Kuma's defaults component creates {@code zone-token-signing-key-1}).
     */
    private static void bootstrapZoneTokens(ResourceManager manager) {
        if (ZoneTokens.ensureSigningKey(manager)) {
            log.info("created the zone-token signing key (global secret {})", ZoneTokens.signingKeyName(1));
        }
    }

    private static void bindJvmMetrics(PrometheusMeterRegistry registry) {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    public ResourceManager manager() {
        return manager;
    }

    /**
     * The control plane's TLS certificate ({@code general.tlsCertFile}, or its own): what its TLS servers present
     * unless they have files of their own.
     */
    public ControlPlaneCertificates.Material certificate() {
        return certificate;
    }

    /**
     * The DP server's TLS certificate ({@code dpServer.tlsCertFile}, else {@link #certificate()}); its CA is the one
     * proxies must trust. Chosen even when {@code dpServer.plaintext} is true, though then not served.
     */
    public ControlPlaneCertificates.Material dpServerCertificate() {
        return dpCertificate;
    }

    /** The API's plain HTTP port, or its HTTPS port when plain HTTP is off. */
    public int apiPort() {
        return apiServer.port();
    }

    /** The API's HTTPS port, when HTTPS is on. */
    public OptionalInt apiHttpsPort() {
        return apiServer.httpsPort();
    }

    /** The DP server's port (ADS and {@code /bootstrap}). */
    public int dpServerPort() {
        return xdsServer.port();
    }

    public XdsServer xdsServer() {
        return xdsServer;
    }

    public int diagnosticsPort() {
        return diagnostics.port();
    }

    public CpConfig config() {
        return config;
    }

    @Override
    public void close() {
        ready.set(false);
        closeAll(closeables);
    }

    private static void closeAll(Deque<AutoCloseable> closeables) {
        while (!closeables.isEmpty()) {
            AutoCloseable c = closeables.pop();
            try {
                c.close();
            } catch (Exception e) {
                log.warn("error while stopping {}", c, e);
            }
        }
    }
}
