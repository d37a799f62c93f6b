package io.ursa.apiserver;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.ca.CaPlugins;
import io.ursa.ca.MeshCertificateAuthorities;
import io.ursa.core.ca.CaPlugin;
import io.ursa.core.cluster.Cluster;
import io.ursa.core.cluster.LocalHost;
import io.ursa.core.cluster.SingleInstanceCluster;
import io.ursa.core.access.Authorizer;
import io.ursa.core.manager.DefaultAccess;
import io.ursa.core.manager.ResourceManager;
import io.ursa.core.tokens.DataplaneTokenIssuer;
import io.ursa.core.tokens.UserTokenIssuer;
import io.ursa.core.tokens.ZoneTokenIssuer;
import io.ursa.core.tokens.UserTokenValidator;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kuma-compatible REST API (Kuma 2.0's {@code pkg/api-server}, spec §8): generic CRUD for every registered
 * resource type, {@code dataplanes+insights}, mesh, service and global insights, the inspect endpoints of a
 * dataplane ({@code .../policies}, {@code .../xds}) and of a policy ({@code .../{name}/dataplanes}), the index,
 * {@code /config}, {@code /policies}, dataplane and user tokens ({@code POST /tokens/dataplane},
 * {@code POST /tokens/user}) and the control plane's CA
 * ({@code GET /control-plane/ca.pem}), the caller's identity ({@code GET /who-am-i}) and the web GUI
 * ({@code /gui}, see {@link GuiEndpoints}), with Kuma's error JSON, over plain HTTP, HTTPS or both. Every request is
 * authenticated ({@link Authentication}: a user token, the loopback admin or anonymous), every write, token
 * request and secret read is authorized by the AccessRoles in the store ({@link AccessChecks}) and audited as the
 * AccessAudits say ({@link AuditLog}); CORS follows {@link Cors}; slow clients are cut
 * ({@link TimedHttpConnectionFactory}). Mesh insights also show each mesh's CA (fingerprint and expiry). Usage,
 * from the composition root:
 * <pre>{@code
 * ApiServer api = new ApiServer(manager, ResourceTypes.standard(), ApiServerConfig.defaults(),
 *         () -> effectiveConfigJson, version, instanceId);
 * api.start();            // creates the default AccessRole/Binding/Audit when absent, binds; port 0 picks a free port
 * int port = api.port();
 * ...
 * api.close();
 * }</pre>
 * {@link #start()} and {@link #close()} are called by the owner's thread; requests are served on the web server's
 * threads, and every handler is stateless (the authorizer's cache is its own, see {@link Authorizer}).
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

    private final ApiServerConfig config;
    private final ResourceManager manager;
    private final RequestObserver observer;
    private final Authorizer authorizer;
    private final AuditLog audit;
    private final Authentication authentication;
    private final Cors cors;
    private final Listeners listeners;
    private final Javalin app;

    /** An API server whose dataplanes all show offline (no xDS server yet) and whose clock is the system's. */
    public ApiServer(ResourceManager manager, ResourceTypes types, ApiServerConfig config,
                     Supplier<? extends JsonNode> effectiveConfig, String version, String instanceId) {
        this(manager, types, config, effectiveConfig, version, instanceId, DataplaneInsights.none(),
                Clock.systemUTC());
    }

    /**
     * An API server over {@code manager}.
     *
     * @param effectiveConfig   the configuration {@code GET /config} shows, secrets already masked
     * @param version           the product version shown by {@code GET /}
     * @param instanceId        this control plane instance's id shown by {@code GET /}
     * @param dataplaneInsights the connection state of dataplanes, from the xDS server
     * @param clock             the time insights are stamped with and dataplane tokens are issued at
     */
    public ApiServer(ResourceManager manager, ResourceTypes types, ApiServerConfig config,
                     Supplier<? extends JsonNode> effectiveConfig, String version, String instanceId,
                     DataplaneInsights dataplaneInsights, Clock clock) {
        this(manager, types, config, effectiveConfig, version, instanceId, dataplaneInsights, clock,
                RequestObserver.none());
    }

    /**
     * As above, and {@code observer} hears about every answered request (for metrics); meshes' CAs are read by
     * Ursa's standard CA plugins.
     */
    public ApiServer(ResourceManager manager, ResourceTypes types, ApiServerConfig config,
                     Supplier<? extends JsonNode> effectiveConfig, String version, String instanceId,
                     DataplaneInsights dataplaneInsights, Clock clock, RequestObserver observer) {
        this(manager, types, config, effectiveConfig, version,
                new SingleInstanceCluster(instanceId, LocalHost.name(), version, clock), dataplaneInsights,
                DataplaneInspector.none(), CaPlugins.standard(), clock, observer);
    }

    /**
     * As above, and {@code inspector} answers the inspect endpoints of a dataplane (the configuration served to it,
     * the policies that match it), and {@code caPlugins} (the ones the manager validates meshes with) read each
     * mesh's CA, from the manager's store, for the mesh insights; {@code cluster} says which instance this is
     * ({@code GET /}) and which others share its store ({@code GET /control-planes}).
     */
    public ApiServer(ResourceManager manager, ResourceTypes types, ApiServerConfig config,
                     Supplier<? extends JsonNode> effectiveConfig, String version, Cluster cluster,
                     DataplaneInsights dataplaneInsights, DataplaneInspector inspector, List<CaPlugin> caPlugins,
                     Clock clock, RequestObserver observer) {
        this.manager = requireNonNull(manager, "manager");
        this.observer = requireNonNull(observer, "observer");
        requireNonNull(types, "types");
        this.config = requireNonNull(config, "config");
        requireNonNull(clock, "clock");
        ResourceCodec codec = new ResourceCodec(types);
        ErrorMapper errors = new ErrorMapper();
        this.audit = new AuditLog(types);
        this.authorizer = Authorizer.create(manager);
        this.authentication = new Authentication(new UserTokenValidator(manager, clock), config.localhostIsAdmin(),
                audit);
        this.cors = new Cors(config.corsAllowedOrigins());
        this.listeners = new Listeners(config);
        AccessChecks access = new AccessChecks(authorizer, audit);
        IndexEndpoints index = new IndexEndpoints(types, effectiveConfig, version, LocalHost.name(),
                requireNonNull(cluster, "cluster").instanceId(), errors);
        ClusterEndpoints clusterEndpoints = new ClusterEndpoints(cluster, errors);
        ResourceEndpoints resources = new ResourceEndpoints(manager, types, codec,
                new RequestBody(codec, config.maxBodyBytes()), access, errors, config);
        DataplaneOverviewEndpoints overviews = new DataplaneOverviewEndpoints(manager, codec,
                requireNonNull(dataplaneInsights, "dataplaneInsights"), errors);
        ZoneEgressOverviewEndpoints egressOverviews = new ZoneEgressOverviewEndpoints(manager, codec,
                dataplaneInsights, errors);
        MeshCertificateAuthorities cas = new MeshCertificateAuthorities(requireNonNull(caPlugins, "caPlugins"),
                new io.ursa.core.ca.ReadOnlySecrets(manager.store()));
        InsightEndpoints insights = new InsightEndpoints(manager, types, codec, dataplaneInsights,
                new MeshCaInsight(cas), new CrossMeshInsight(manager, cas), errors, clock);
        InspectEndpoints inspect = new InspectEndpoints(manager, requireNonNull(inspector, "inspector"), errors);
        PolicyInspectEndpoints policyInspect = new PolicyInspectEndpoints(manager, types, inspector, access, errors);
        ServiceInsightEndpoints serviceInsights = new ServiceInsightEndpoints(manager,
                new ServiceInsights(manager, codec, dataplaneInsights), access, errors, clock);
        TokenEndpoints tokens = new TokenEndpoints(new DataplaneTokenIssuer(manager, clock),
                new UserTokenIssuer(manager, clock), new ZoneTokenIssuer(manager, clock),
                new RequestBody(codec, config.maxBodyBytes()), access, errors);
        ControlPlaneEndpoints controlPlane = new ControlPlaneEndpoints(config.caCertificatePem(), errors);
        UnknownEndpoints unknown = new UnknownEndpoints(types, errors);
        WhoAmIEndpoints whoAmI = new WhoAmIEndpoints(errors);
        GuiEndpoints gui = new GuiEndpoints(errors);

        this.app = Javalin.create(this::configure);
        if (cors.enabled()) {
            app.before(cors::handle);
        }
        app.before(authentication::authenticate);
        app.after(audit::write);
        index.addTo(app);
        clusterEndpoints.addTo(app);
        controlPlane.addTo(app);
        overviews.addTo(app);
        egressOverviews.addTo(app);
        insights.addTo(app);
        inspect.addTo(app);
        policyInspect.addTo(app);
        serviceInsights.addTo(app);
        resources.addTo(app);
        tokens.addTo(app);
        whoAmI.addTo(app);
        gui.addTo(app);
        app.exception(HttpResponseException.class, unknown::respond);
        app.exception(Exception.class, (e, ctx) -> errors.respond(ctx, Titles.REQUEST, e));
    }

    private void configure(JavalinConfig cfg) {
        cfg.showJavalinBanner = false;
        cfg.startupWatcherEnabled = false;
        cfg.http.prefer405over404 = true;
        cfg.http.maxRequestSize = config.maxBodyBytes();
        cfg.router.ignoreTrailingSlashes = true;
        JsonErrorPages errorPages = new JsonErrorPages();
        cfg.jetty.modifyServer(server -> server.setErrorHandler(errorPages));
        cfg.jetty.modifyServletContextHandler(context -> context.setErrorHandler(errorPages));
        cfg.requestLogger.http((ctx, millis) -> {
            log.debug("request method={} path={} status={} ms={}", ctx.method(), ctx.path(), ctx.statusCode(),
                    millis.longValue());
            observer.observe(ctx.method().name(), routeOf(ctx), ctx.statusCode(),
                    Duration.ofNanos((long) (millis.doubleValue() * 1_000_000)));
        });
        config.http().ifPresent(http -> cfg.jetty.addConnector(listeners::httpConnector));
        config.https().ifPresent(https -> cfg.jetty.addConnector(listeners::httpsConnector));
    }

    /** The matched route template; {@code unmatched} for paths no route serves. */
    private static String routeOf(Context ctx) {
        try {
            String path = ctx.endpointHandlerPath();
            return path == null || path.isEmpty() || path.equals("*") ? "unmatched" : path;
        } catch (RuntimeException e) {
            return "unmatched";
        }
    }

    /**
     * Creates the default AccessRole {@code admin}, AccessRoleBinding and AccessAudit when absent (without them not
     * even the admin could write), then binds every listener and starts serving.
     */
    public void start() {
        DefaultAccess.ensure(manager);
        app.start();
    }

    /**
     * The plain HTTP port, or the HTTPS port when plain HTTP is off; after {@link #start()}, the real one even when
     * configured as 0.
     */
    public int port() {
        return listeners.httpPort().orElseGet(() -> listeners.httpsPort().orElseThrow());
    }

    /** The plain HTTP port, when plain HTTP is on. */
    public OptionalInt httpPort() {
        return listeners.httpPort();
    }

    /** The HTTPS port, when HTTPS is on. */
    public OptionalInt httpsPort() {
        return listeners.httpsPort();
    }

    /** Where the API listens, e.g. {@code http://0.0.0.0:5681} and {@code https://0.0.0.0:5682}, HTTP first. */
    public List<URI> addresses() {
        return listeners.addresses();
    }

    /** Stops serving; in-flight requests are finished first. */
    @Override
    public void close() {
        try {
            app.stop();
        } finally {
            authorizer.close();
        }
    }

    @Override
    public String toString() {
        return "ApiServer" + addresses();
    }
}
